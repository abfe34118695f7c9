import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARS, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('applies defaults and freezes the result', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.dataDir).toBe('./data');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demoInstitution).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://creds.example.eu/' }).publicUrl).toBe('https://creds.example.eu');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'ftp://x'],
    ['PUBLIC_URL', 'https://x.eu/with/path'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['ADMIN_TOKEN', 'short'],
    ['KEY_ENCRYPTION_KEY', 'not-32-bytes'],
    ['BODY_LIMIT', '12'],
    ['DEMO_INSTITUTION', 'maybe'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    let err: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(`${name}=`);
  });

  it('never echoes secret values in errors', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'tiny-secret' })).toThrow(/ADMIN_TOKEN="<redacted>"/);
  });

  it('requires both secrets in production and creates no demo institution', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN: required[\s\S]*KEY_ENCRYPTION_KEY: required/);
    const c = loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'x'.repeat(32), KEY_ENCRYPTION_KEY: 'ab'.repeat(32) });
    expect(c.demoInstitution).toBe(false);
  });

  it('runs several processes only on PostgreSQL (the embedded store belongs to one process)', () => {
    expect(() => loadConfig({ PROCESSES: '2' })).toThrow(/PROCESSES=2: more than one process needs DATABASE_URL/);
    expect(loadConfig({ PROCESSES: '2', DATABASE_URL: 'postgres://db.example/microcred' }).processes).toBe(2);
    expect(loadConfig({}).processes).toBe(1);
    expect(() => loadConfig({ PROCESSES: '0' })).toThrow(/PROCESSES="0"/);
  });

  it('documents every variable in the README configuration table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(ENV_VARS)) expect(readme, name).toContain(`| \`${name}\` |`);
  });

  it('reads TRUST_PROXY as false, true or proxy addresses, and names a bad one', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 172.16.0.1,fd00::/8,loopback' }).trustProxy).toEqual(['10.0.0.0/8', '172.16.0.1', 'fd00::/8', 'loopback']);
    for (const bad of ['yes', '10.0.0.0/33', '300.1.1.1', 'fd00::/129', '10.0.0.0/8/1', '1', ',']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

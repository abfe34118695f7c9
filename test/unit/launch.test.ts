import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../bench/lib/service.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');

// The service is started from four places; they must run it the same way, or the bench and the
// scale test would measure a service that is not the one deployed.
describe('launch command', () => {
  const { nodeFlags, entry } = startCommand(new URL('.', ROOT).pathname);

  it('npm start builds first and runs the compiled service with a larger young generation', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prestart).toBe('npm run build');
    expect(entry).toBe('dist/src/server.js');
    expect(nodeFlags).toContain('--max-semi-space-size=32');
  });

  it('the image and the scale test run what npm start runs', () => {
    const command = ['node', ...nodeFlags, entry];
    expect(read('Dockerfile')).toContain(`CMD ${JSON.stringify(command).replaceAll(',', ', ')}`);
    expect(read('scripts/scale-test.sh')).toContain(command.join(' '));
  });

  it('the image keeps the embedded store in the one directory its unprivileged user owns', () => {
    const dockerfile = read('Dockerfile');
    const owned = /RUN mkdir -p (\S+) && chown node:node \1/.exec(dockerfile)?.[1];
    expect(owned).toBeDefined();
    expect(dockerfile).toContain(`ENV DATA_DIR=${owned}`);
    expect(dockerfile.indexOf('USER node')).toBeGreaterThan(dockerfile.indexOf(`chown node:node ${owned}`));
  });

  it('every compose service comes back when it exits', () => {
    const all = read('docker-compose.yml');
    const compose = all.slice(all.indexOf('\nservices:\n'), all.indexOf('\nvolumes:\n'));
    const services = [...compose.matchAll(/^ {2}([a-z][a-z0-9_-]*):\n/gm)].map((m) => m[1]);
    expect(services).toEqual(['postgres', 'microcred', 'lb']);
    for (const name of services) {
      const block = compose.slice(compose.indexOf(`  ${name}:\n`)).split(/\n {2}[a-z]/)[0]!;
      expect(block, name).toMatch(/\n {4}restart: unless-stopped\n/);
    }
  });
});

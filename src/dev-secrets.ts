import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { parseKek } from './keys/index.js';

/** The secrets the service runs with, and which of them were generated just now. */
export interface Secrets {
  adminToken: string;
  kek: Buffer;
  generated: Array<'admin-token' | 'kek'>;
}

/**
 * Take ADMIN_TOKEN and KEY_ENCRYPTION_KEY from config; outside production, read or generate
 * them once under KEYS_DIR (mode 0600) so a fresh clone starts with no setup.
 */
export function resolveSecrets(config: Config): Secrets {
  const generated: Secrets['generated'] = [];
  const fromFile = (name: 'admin-token' | 'kek', make: () => string): string => {
    const path = join(config.keysDir, name);
    if (existsSync(path)) return readFileSync(path, 'utf8').trim();
    mkdirSync(config.keysDir, { recursive: true, mode: 0o700 });
    const value = make();
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    generated.push(name);
    return value;
  };
  const production = config.nodeEnv === 'production';
  const adminToken = config.adminToken ?? (production ? undefined : fromFile('admin-token', () => `mca_${randomBytes(32).toString('base64url')}`));
  const kekText = config.keyEncryptionKey ?? (production ? undefined : fromFile('kek', () => randomBytes(32).toString('base64url')));
  if (!adminToken || !kekText) throw new Error('ADMIN_TOKEN and KEY_ENCRYPTION_KEY are required in production');
  return { adminToken, kek: parseKek(kekText), generated };
}

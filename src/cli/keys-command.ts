import { randomBytes } from 'node:crypto';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

/** `microcred keys generate`: prints a fresh key-encryption key and admin token as environment lines. */
export async function keysCommand(argv: string[], io: CliIo, random: (n: number) => Buffer = randomBytes): Promise<number> {
  if (argv[0] !== 'generate' || argv.length !== 1) throw new UsageError('usage: microcred keys generate');
  io.out(`KEY_ENCRYPTION_KEY=${random(32).toString('base64url')}`);
  io.out(`ADMIN_TOKEN=mca_${random(32).toString('base64url')}`);
  return 0;
}

import { InternalError } from '../errors.js';

const HEX = /^[0-9a-fA-F]{64}$/;
const B64 = /^[A-Za-z0-9+/]{43}=?$/;
const B64URL = /^[A-Za-z0-9_-]{43}$/;

/** Parse a 32-byte key-encryption key given as hex, base64 or base64url; throws KEK_INVALID. */
export function parseKek(value: string): Buffer {
  const s = value.trim();
  let bytes: Buffer | undefined;
  // Hex first: 64 hex characters would also be valid (48-byte) base64.
  if (HEX.test(s)) bytes = Buffer.from(s, 'hex');
  else if (B64URL.test(s)) bytes = Buffer.from(s, 'base64url');
  else if (B64.test(s)) bytes = Buffer.from(s, 'base64');
  if (!bytes || bytes.length !== 32) {
    // Never echo the value: it is secret material.
    throw new InternalError('KEK_INVALID', 'The key-encryption key must be 32 bytes in hex, base64 or base64url.');
  }
  return bytes;
}

/** Throw KEK_INVALID unless `kek` is a 32-byte buffer. */
export function assertKek(kek: Uint8Array): void {
  if (!(kek instanceof Uint8Array) || kek.length !== 32) {
    throw new InternalError('KEK_INVALID', 'The key-encryption key must be 32 bytes.');
  }
}

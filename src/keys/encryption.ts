import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InternalError } from '../errors.js';
import { assertKek } from './kek.js';
import type { EncryptedPrivateKey } from './types.js';

/** Encrypt `plaintext` under `kek` with AES-256-GCM, binding `aad` (the key id). */
export function encryptSecret(plaintext: Uint8Array, kek: Uint8Array, aad: string, random: (n: number) => Uint8Array = randomBytes): EncryptedPrivateKey {
  assertKek(kek);
  const iv = Buffer.from(random(12));
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { alg: 'A256GCM', iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), ct: ct.toString('base64url') };
}

/** Decrypt and authenticate; any failure (wrong KEK, tampering, other AAD) → KEY_DECRYPTION_FAILED. */
export function decryptSecret(enc: EncryptedPrivateKey, kek: Uint8Array, aad: string): Buffer {
  assertKek(kek);
  try {
    if (enc.alg !== 'A256GCM') throw new Error('unsupported alg');
    const iv = Buffer.from(enc.iv, 'base64url');
    const tag = Buffer.from(enc.tag, 'base64url');
    if (iv.length !== 12 || tag.length !== 16) throw new Error('bad iv/tag length');
    const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(enc.ct, 'base64url')), decipher.final()]);
  } catch {
    // Deliberately no cause: nothing about the key or ciphertext may reach logs or clients.
    throw new InternalError('KEY_DECRYPTION_FAILED', 'A stored private key could not be decrypted.');
  }
}

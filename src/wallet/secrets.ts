import { createHash } from 'node:crypto';

/** Random bytes source (injected; tests may make it deterministic). */
export type RandomBytes = (n: number) => Buffer;

/** SHA-256 hex of a secret: the only form in which wallet secrets are stored. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A 256-bit URL-safe random token. */
export function randomToken(random: RandomBytes): string {
  return random(32).toString('base64url');
}

/** A numeric code of `length` digits, uniform (rejection sampling, no modulo bias). */
export function randomDigits(random: RandomBytes, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of random(length * 2)) {
      if (b < 250 && out.length < length) out += String(b % 10);
    }
  }
  return out;
}

/** The pre-authorized code belonging to an offer handle (domain-separated hash, so the two differ). */
export function codeFromHandle(handle: string): string {
  return createHash('sha256').update(`microcred:pre-authorized_code:${handle}`, 'utf8').digest('base64url');
}

import type { Queryable } from '../store/index.js';
import { randomToken, secretHash, type RandomBytes } from './secrets.js';

/** Create and store (hashed) a fresh c_nonce for an institution. */
export async function issueNonce(q: Queryable, opts: { institutionId: string; now: Date; ttlSeconds: number; random: RandomBytes }): Promise<{ c_nonce: string; c_nonce_expires_in: number }> {
  const nonce = randomToken(opts.random);
  await q.query('INSERT INTO wallet_nonces (nonce_hash, institution_id, expires_at) VALUES ($1, $2, $3)', [
    secretHash(nonce),
    opts.institutionId,
    new Date(opts.now.getTime() + opts.ttlSeconds * 1000),
  ]);
  // Opportunistic cleanup keeps the table small without a scheduler.
  await q.query('DELETE FROM wallet_nonces WHERE expires_at < $1', [new Date(opts.now.getTime() - 3600_000)]);
  return { c_nonce: nonce, c_nonce_expires_in: opts.ttlSeconds };
}

/** Consume a c_nonce: true exactly once per unexpired nonce of this institution (atomic delete). */
export async function consumeNonce(q: Queryable, opts: { institutionId: string; nonce: string; now: Date }): Promise<boolean> {
  const res = await q.query('DELETE FROM wallet_nonces WHERE nonce_hash = $1 AND institution_id = $2 AND expires_at > $3', [
    secretHash(opts.nonce),
    opts.institutionId,
    opts.now,
  ]);
  return res.rowCount === 1;
}

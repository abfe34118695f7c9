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

/** Where a c_nonce is spent: one configuration, fetched with one access token. */
export interface NonceUse {
  /** Hash of the access token presented. */
  tokenHash: string;
  configurationId: string;
  /** The token's other configurations: each may reuse this nonce once, with this token only. */
  otherConfigurationIds: string[];
}

// The remaining uses of a spent nonce are rows of their own, keyed by nonce, token and configuration.
// The suffix keeps them out of the space of real nonces' hashes (hex only): a client who knows what
// a spare use is derived from cannot present that text as a nonce and have it found as one.
const useHash = (nonce: string, tokenHash: string, configurationId: string) => `${secretHash(`${nonce}\n${tokenHash}\n${configurationId}`)}:spare`;

/**
 * Consume a c_nonce (call inside a transaction). A nonce is accepted once per unexpired nonce of
 * this institution; its first use also leaves one further use for each other configuration of
 * the same access token, until the nonce expires. Wallets that fetch one nonce and prove
 * possession with it for every configuration of an offer thus succeed, while each credential
 * still needs a nonce use of its own and no other token can ever use it.
 */
export async function consumeNonce(q: Queryable, opts: { institutionId: string; nonce: string; now: Date; use: NonceUse }): Promise<boolean> {
  const take = async (hash: string) =>
    (
      await q.query<{ expires_at: Date | string }>('DELETE FROM wallet_nonces WHERE nonce_hash = $1 AND institution_id = $2 AND expires_at > $3 RETURNING expires_at', [
        hash,
        opts.institutionId,
        opts.now,
      ])
    ).rows[0];
  const { use } = opts;
  const first = await take(secretHash(opts.nonce));
  if (first) {
    for (const other of use.otherConfigurationIds) {
      await q.query('INSERT INTO wallet_nonces (nonce_hash, institution_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (nonce_hash) DO NOTHING', [
        useHash(opts.nonce, use.tokenHash, other),
        opts.institutionId,
        first.expires_at,
      ]);
    }
    return true;
  }
  return (await take(useHash(opts.nonce, use.tokenHash, use.configurationId))) !== undefined;
}

import type { Queryable } from '../store/index.js';

/** A stored credential offer (secrets only as hashes). */
export interface OfferRow {
  id: string;
  institution_id: string;
  prepared_id: string;
  configuration_ids: string[];
  handle_hash: string;
  code_hash: string;
  tx_code_hash: string | null;
  tx_code_length: number | null;
  tx_attempts: number;
  status: 'offered' | 'redeemed' | 'locked';
  created_at: Date | string;
  expires_at: Date | string;
  redeemed_at: Date | string | null;
}

const COLUMNS = 'id, institution_id, prepared_id, configuration_ids, handle_hash, code_hash, tx_code_hash, tx_code_length, tx_attempts, status, created_at, expires_at, redeemed_at';

/** Insert an offer. */
export async function insertOffer(q: Queryable, o: Omit<OfferRow, 'tx_attempts' | 'status' | 'redeemed_at'>): Promise<void> {
  await q.query(
    `INSERT INTO wallet_offers (id, institution_id, prepared_id, configuration_ids, handle_hash, code_hash, tx_code_hash, tx_code_length, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [o.id, o.institution_id, o.prepared_id, o.configuration_ids, o.handle_hash, o.code_hash, o.tx_code_hash, o.tx_code_length, o.created_at, o.expires_at],
  );
}

/** Find an offer by a unique hash column; `lock` takes a row lock for the rest of the transaction. */
export async function findOfferBy(q: Queryable, column: 'handle_hash' | 'code_hash' | 'id', value: string, lock = false): Promise<OfferRow | undefined> {
  const { rows } = await q.query<OfferRow>(`SELECT ${COLUMNS} FROM wallet_offers WHERE ${column} = $1${lock ? ' FOR UPDATE' : ''}`, [value]);
  return rows[0];
}

/** Count a wrong tx_code; the offer dies (locked) at the limit. Returns the attempts so far. */
export async function recordTxFailure(q: Queryable, id: string, maxAttempts: number): Promise<number> {
  const { rows } = await q.query<{ tx_attempts: number }>(
    `UPDATE wallet_offers SET tx_attempts = tx_attempts + 1,
       status = CASE WHEN tx_attempts + 1 >= $2 THEN 'locked' ELSE status END
     WHERE id = $1 RETURNING tx_attempts`,
    [id, maxAttempts],
  );
  return rows[0]?.tx_attempts ?? maxAttempts;
}

/** Mark an offer redeemed (its pre-authorized code is spent). */
export async function markRedeemed(q: Queryable, id: string, at: Date): Promise<boolean> {
  const res = await q.query("UPDATE wallet_offers SET status = 'redeemed', redeemed_at = $2 WHERE id = $1 AND status = 'offered'", [id, at]);
  return (res.rowCount ?? 0) === 1;
}

/** Store an access token hash bound to one offer; `configurationIds` narrows it to those of the offer (authorization_details). */
export async function insertAccessToken(q: Queryable, t: { tokenHash: string; offerId: string; institutionId: string; expiresAt: Date; configurationIds?: readonly string[] }): Promise<void> {
  await q.query('INSERT INTO wallet_access_tokens (token_hash, offer_id, institution_id, expires_at, configuration_ids) VALUES ($1, $2, $3, $4, $5)', [
    t.tokenHash, t.offerId, t.institutionId, t.expiresAt, t.configurationIds ? [...t.configurationIds] : null,
  ]);
}

/** A stored access token: its offer, and the configurations it was narrowed to (null: the whole offer). */
export interface AccessTokenRow {
  offer_id: string;
  institution_id: string;
  configuration_ids: string[] | null;
}

/** The unexpired access token with this hash, with its offer. */
export async function findAccessToken(q: Queryable, tokenHash: string, now: Date): Promise<AccessTokenRow | undefined> {
  const { rows } = await q.query<AccessTokenRow>(
    'SELECT offer_id, institution_id, configuration_ids FROM wallet_access_tokens WHERE token_hash = $1 AND expires_at > $2',
    [tokenHash, now],
  );
  return rows[0];
}

/** Configuration ids already delivered for an offer. */
export async function deliveredConfigurations(q: Queryable, offerId: string): Promise<string[]> {
  const { rows } = await q.query<{ configuration_id: string }>('SELECT configuration_id FROM wallet_deliveries WHERE offer_id = $1', [offerId]);
  return rows.map((r) => r.configuration_id);
}

/** Record a delivery (wallet or learner link). */
export async function insertDelivery(q: Queryable, d: { credentialId: string; institutionId: string; preparedId: string; offerId: string | null; configurationId: string | null; holder: string | null; sourceCredentialId: string | null; at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO wallet_deliveries (credential_id, institution_id, prepared_id, offer_id, configuration_id, holder, source_credential_id, delivered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [d.credentialId, d.institutionId, d.preparedId, d.offerId, d.configurationId, d.holder, d.sourceCredentialId, d.at],
  );
}

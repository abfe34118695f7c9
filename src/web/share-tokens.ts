import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/index.js';

/** A stored share link (the token itself is never stored). */
export interface ShareTokenRecord {
  credentialId: string;
  institutionId: string;
  createdAt: string;
  expiresAt: string;
}

interface Row {
  credential_id: string;
  institution_id: string;
  created_at: Date | string;
  expires_at: Date | string;
}

/** SHA-256 of a share token, hex; what the table stores and looks up by. */
export function hashShareToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh random token: 32 bytes, base64url (43 characters). */
export function newShareToken(random: (n: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

/** Store a share token's hash for a credential. */
export async function insertShareToken(q: Queryable, t: { token: string; credentialId: string; institutionId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await q.query(
    'INSERT INTO credential_share_tokens (token_hash, credential_id, institution_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [hashShareToken(t.token), t.credentialId, t.institutionId, t.createdAt, t.expiresAt],
  );
}

/** Look a share token up by its hash; undefined when unknown. */
export async function findShareToken(q: Queryable, token: string): Promise<ShareTokenRecord | undefined> {
  const { rows } = await q.query<Row>(
    'SELECT credential_id, institution_id, created_at, expires_at FROM credential_share_tokens WHERE token_hash = $1',
    [hashShareToken(token)],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    credentialId: r.credential_id,
    institutionId: r.institution_id,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
  };
}

import type { Queryable } from '../store/index.js';
import type { IssueRequestBody } from '../credentials/index.js';

/** A credential the institution prepared for signing at delivery. */
export interface PreparedRecord {
  id: string;
  institutionId: string;
  body: IssueRequestBody;
  sourceCredentialId: string | null;
  createdAt: string;
}

interface Row {
  id: string;
  institution_id: string;
  body: IssueRequestBody;
  source_credential_id: string | null;
  created_at: Date | string;
}

const toRecord = (r: Row): PreparedRecord => ({
  id: r.id,
  institutionId: r.institution_id,
  body: r.body,
  sourceCredentialId: r.source_credential_id,
  createdAt: new Date(r.created_at).toISOString(),
});

const COLUMNS = 'id, institution_id, body, source_credential_id, created_at';

/** Insert a prepared credential. */
export async function insertPrepared(q: Queryable, p: { id: string; institutionId: string; body: IssueRequestBody; sourceCredentialId?: string; createdAt: Date; createdBy: string }): Promise<void> {
  await q.query(
    'INSERT INTO wallet_prepared (id, institution_id, body, source_credential_id, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
    [p.id, p.institutionId, JSON.stringify(p.body), p.sourceCredentialId ?? null, p.createdAt, p.createdBy],
  );
}

/** Find a prepared credential by id. */
export async function findPrepared(q: Queryable, id: string): Promise<PreparedRecord | undefined> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM wallet_prepared WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** The prepared record derived from an issued credential, if one was made. */
export async function findPreparedBySource(q: Queryable, credentialId: string): Promise<PreparedRecord | undefined> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM wallet_prepared WHERE source_credential_id = $1`, [credentialId]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

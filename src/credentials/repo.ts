import type { Queryable } from '../store/index.js';
import { AUDIT_COLUMNS, auditValues, type AuditEntry } from '../audit/index.js';

/** A stored issued credential. */
export interface CredentialRecord {
  id: string;
  institutionId: string;
  mechanism: string;
  format: string;
  document: Record<string, unknown>;
  jwt: string | null;
  subjectId: string | null;
  kind: string;
  issuedAt: string;
}

interface Row {
  id: string;
  institution_id: string;
  mechanism: string;
  format: string;
  document: Record<string, unknown>;
  jwt: string | null;
  subject_id: string | null;
  kind: string;
  issued_at: Date | string;
}

const toRecord = (r: Row): CredentialRecord => ({
  id: r.id,
  institutionId: r.institution_id,
  mechanism: r.mechanism,
  format: r.format,
  document: r.document,
  jwt: r.jwt,
  subjectId: r.subject_id,
  kind: r.kind,
  issuedAt: new Date(r.issued_at).toISOString(),
});

const INSERT_CREDENTIAL = 'INSERT INTO credentials (id, institution_id, mechanism, format, document, jwt, subject_id, kind, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)';

/**
 * Insert an issued credential (`documentJson`: the document already serialised, when the caller
 * has it); with `audit`, its audit record goes in by the same statement (one round trip less on
 * every issuance), inserted only if the credential is.
 */
export async function insertCredential(q: Queryable, c: Omit<CredentialRecord, 'issuedAt'> & { issuedAt: Date; documentJson?: string }, audit?: AuditEntry): Promise<void> {
  const values = [c.id, c.institutionId, c.mechanism, c.format, c.documentJson ?? JSON.stringify(c.document), c.jwt, c.subjectId, c.kind, c.issuedAt];
  if (!audit) {
    await q.query(INSERT_CREDENTIAL, values);
    return;
  }
  await q.query(
    `WITH issued AS (${INSERT_CREDENTIAL} RETURNING id) INSERT INTO audit_log (${AUDIT_COLUMNS}) SELECT $10, $11, $12, $13, $14, $15, $16 FROM issued`,
    [...values, ...auditValues(audit)],
  );
}

/** Find a credential by id. */
export async function findCredential(q: Queryable, id: string): Promise<CredentialRecord | undefined> {
  const { rows } = await q.query<Row>(
    'SELECT id, institution_id, mechanism, format, document, jwt, subject_id, kind, issued_at FROM credentials WHERE id = $1',
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

import type { Queryable } from '../store/index.js';
import { AUDIT_COLUMNS, auditValues, type AuditEntry } from '../audit/index.js';
import { StatusError } from '../status/errors.js';

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
  document: string;
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
  document: JSON.parse(r.document) as Record<string, unknown>,
  jwt: r.jwt,
  subjectId: r.subject_id,
  kind: r.kind,
  issuedAt: new Date(r.issued_at).toISOString(),
});

const INSERT_CREDENTIAL = 'INSERT INTO credentials (id, institution_id, mechanism, format, document, jwt, subject_id, kind, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)';

// The credential, its audit record and the links of its reserved status entries, as one
// statement: atomic on its own, so a lone issuance needs no BEGIN/COMMIT round trips. The last
// SELECT aborts the whole statement when an entry was not reserved or is linked already. The
// entries' foreign key to the credential is checked at the statement's end, when it exists.
const ISSUE = `WITH issued AS (${INSERT_CREDENTIAL} RETURNING id),
  logged AS (INSERT INTO audit_log (${AUDIT_COLUMNS}) SELECT $12, $13, $14, $15, $16, $17, $18 FROM issued RETURNING 1),
  linked AS (
    UPDATE status_entries e SET credential_id = $1
      FROM unnest($10::uuid[], $11::int[]) AS t(list_id, idx)
     WHERE e.list_id = t.list_id AND e.idx = t.idx AND e.credential_id IS NULL
    RETURNING 1)
SELECT CASE WHEN (SELECT count(*) FROM linked) = cardinality($10::uuid[]) AND (SELECT count(*) FROM logged) = 1 THEN 1
            ELSE microcred_abort('a status entry of credential ' || $1 || ' is not reserved or is linked already') END AS ok`;

/** A status list entry reserved for a credential before it was signed. */
export interface EntryRef {
  listId: string;
  index: number;
}

/**
 * Insert an issued credential (`documentJson`: the document already serialised), its audit
 * record and the links of its reserved status entries in one statement. A missing or taken
 * entry aborts everything with STATUS_ENTRY_CONFLICT; a duplicate id is a unique violation.
 */
export async function insertCredential(
  q: Queryable,
  c: Omit<CredentialRecord, 'issuedAt'> & { issuedAt: Date; documentJson?: string },
  audit: AuditEntry,
  entries: readonly EntryRef[] = [],
): Promise<void> {
  try {
    await q.query(ISSUE, [
      c.id, c.institutionId, c.mechanism, c.format, c.documentJson ?? JSON.stringify(c.document), c.jwt, c.subjectId, c.kind, c.issuedAt,
      entries.map((e) => e.listId), entries.map((e) => e.index),
      ...auditValues(audit),
    ]);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'MC409') {
      throw new StatusError('STATUS_ENTRY_CONFLICT', `Credential ${c.id}: a status entry is not reserved or is linked already.`, undefined, { cause: err });
    }
    throw err;
  }
}

/** Find a credential by id. */
export async function findCredential(q: Queryable, id: string): Promise<CredentialRecord | undefined> {
  const { rows } = await q.query<Row>(
    'SELECT id, institution_id, mechanism, format, document, jwt, subject_id, kind, issued_at FROM credentials WHERE id = $1',
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

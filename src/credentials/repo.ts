import type { Queryable, QueryOptions } from '../store/index.js';
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
// Planned per execution (LINKING): the join of the entries array with status_entries must stay
// an index probe per entry while the table grows.
const ISSUE = `WITH issued AS (${INSERT_CREDENTIAL} RETURNING id),
  logged AS (INSERT INTO audit_log (${AUDIT_COLUMNS}) SELECT $12, $13, $14, $15, $16, $17, $18 FROM issued RETURNING 1),
  linked AS (
    UPDATE status_entries e SET credential_id = $1
      FROM unnest($10::uuid[], $11::int[]) AS t(list_id, idx)
     WHERE e.list_id = t.list_id AND e.idx = t.idx AND e.credential_id IS NULL
    RETURNING 1)
SELECT CASE WHEN (SELECT count(*) FROM linked) = cardinality($10::uuid[]) AND (SELECT count(*) FROM logged) = 1 THEN 1
            ELSE microcred_abort('a status entry of credential ' || $1 || ' is not reserved or is linked already') END AS ok`;

/** How the statements that link status entries run (see QueryOptions.prepared). */
const LINKING: QueryOptions = { prepared: false };

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
    ], LINKING);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'MC409') {
      throw new StatusError('STATUS_ENTRY_CONFLICT', `Credential ${c.id}: a status entry is not reserved or is linked already.`, undefined, { cause: err });
    }
    throw err;
  }
}

/** One issuance's writes: what insertCredential() takes. */
export interface IssueWrite {
  credential: Omit<CredentialRecord, 'issuedAt'> & { issuedAt: Date; documentJson?: string };
  audit: AuditEntry;
  entries: readonly EntryRef[];
}

/** The ISSUE statement for `n` credentials at once: rows of 16 parameters, then the entries' three arrays. */
const issueManySql = (() => {
  const memo = new Map<number, string>();
  return (n: number): string => {
    let sql = memo.get(n);
    if (sql) return sql;
    const row = (i: number, from: number, count: number) => `(${Array.from({ length: count }, (_, k) => `$${i * 16 + from + k}`).join(', ')})`;
    const rows = Array.from({ length: n }, (_, i) => i);
    const arrays = n * 16;
    sql = `WITH issued AS (INSERT INTO credentials (id, institution_id, mechanism, format, document, jwt, subject_id, kind, issued_at) VALUES ${rows.map((i) => row(i, 1, 9)).join(', ')} RETURNING id),
  logged AS (INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${rows.map((i) => row(i, 10, 7)).join(', ')} RETURNING 1),
  linked AS (
    UPDATE status_entries e SET credential_id = t.credential_id
      FROM unnest($${arrays + 1}::uuid[], $${arrays + 2}::int[], $${arrays + 3}::text[]) AS t(list_id, idx, credential_id)
     WHERE e.list_id = t.list_id AND e.idx = t.idx AND e.credential_id IS NULL
    RETURNING 1)
SELECT CASE WHEN (SELECT count(*) FROM linked) = cardinality($${arrays + 1}::uuid[]) AND (SELECT count(*) FROM logged) = ${n} AND (SELECT count(*) FROM issued) = ${n} THEN 1
            ELSE microcred_abort('a status entry of a credential in this batch is not reserved or is linked already') END AS ok`;
    memo.set(n, sql);
    return sql;
  };
})();

/** Several issuances as one statement: all are stored or none (see createIssueWriter). */
export async function insertCredentials(q: Queryable, writes: readonly IssueWrite[]): Promise<void> {
  const params: unknown[] = [];
  const lists: string[] = [];
  const indexes: number[] = [];
  const owners: string[] = [];
  for (const { credential: c, audit, entries } of writes) {
    params.push(c.id, c.institutionId, c.mechanism, c.format, c.documentJson ?? JSON.stringify(c.document), c.jwt, c.subjectId, c.kind, c.issuedAt, ...auditValues(audit));
    for (const e of entries) {
      lists.push(e.listId);
      indexes.push(e.index);
      owners.push(c.id);
    }
  }
  params.push(lists, indexes, owners);
  await q.query(issueManySql(writes.length), params, LINKING);
}

/**
 * Issuances arriving while earlier ones are being written go to the database together, as one
 * statement: one commit, one round trip and one plan for up to `maxBatch` credentials and
 * `maxBatchBytes` of documents (a group commit). Nothing waits for company: a write goes at
 * once when fewer than `maxInFlight` statements are running, so batches form only under load.
 * With one statement in flight per process, concurrent issuances of small credentials cost
 * PostgreSQL about half the CPU of one statement each. When a batch fails (a duplicate id, a
 * taken status entry), which wrote nothing, each of its issuances is written alone, so each
 * gets its own answer.
 */
export function createIssueWriter(db: Queryable, opts: { maxBatch?: number; maxBatchBytes?: number; maxInFlight?: number } = {}) {
  const maxBatch = opts.maxBatch ?? 16;
  // Large documents make short batches: one statement's time bounds the wait of those behind it.
  const maxBatchBytes = opts.maxBatchBytes ?? 256 * 1024;
  const maxInFlight = opts.maxInFlight ?? 1;
  type Pending = { write: IssueWrite; done: (err?: unknown) => void };
  const queue: Pending[] = [];
  let inFlight = 0;
  const size = (w: IssueWrite) => w.credential.documentJson?.length ?? 1024;

  /** The next batch: at least one write, then up to maxBatch while under maxBatchBytes. */
  const take = (): Pending[] => {
    let n = 1;
    let bytes = size(queue[0]!.write);
    while (n < queue.length && n < maxBatch && bytes + size(queue[n]!.write) <= maxBatchBytes) bytes += size(queue[n++]!.write);
    return queue.splice(0, n);
  };

  const writeAlone = (p: Pending) =>
    insertCredential(db, p.write.credential, p.write.audit, p.write.entries).then(() => p.done(), (err: unknown) => p.done(err ?? new Error('insert failed')));

  async function run(batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await insertCredentials(db, batch.map((p) => p.write));
        for (const p of batch) p.done();
        return;
      } catch {
        // Nothing was written: each on its own below, for its own answer.
      }
    }
    await Promise.all(batch.map(writeAlone));
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = take();
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    /** Write one issuance (as insertCredential() would), possibly together with others. */
    insert(write: IssueWrite): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        queue.push({ write, done: (err) => (err === undefined ? resolve() : reject(err)) });
        pump();
      });
    },
  };
}

/** Find a credential by id. */
export async function findCredential(q: Queryable, id: string): Promise<CredentialRecord | undefined> {
  const { rows } = await q.query<Row>(
    'SELECT id, institution_id, mechanism, format, document, jwt, subject_id, kind, issued_at FROM credentials WHERE id = $1',
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

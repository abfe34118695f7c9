/** Storage of bulk-issuance batches and their rows; rows are claimed with leases (SKIP LOCKED). */
import type { Actor } from '../audit/index.js';
import type { Queryable } from '../store/index.js';
import { batchNotFound } from './errors.js';
import type { IssueOptions } from './issue-request.js';

/** Life of a batch: rows being uploaded, waiting/being issued, finished. */
export type BatchStatus = 'receiving' | 'queued' | 'running' | 'done';
/** Life of a row. */
export type RowStatus = 'pending' | 'processing' | 'issued' | 'failed';

/** A batch as stored. */
export interface BatchRecord {
  id: string; institutionId: string; status: BatchStatus; templateId: string | null; template: Record<string, unknown> | null;
  options: IssueOptions; actor: Actor; total: number; createdAt: string; updatedAt: string; completedAt: string | null;
}

/**
 * A row to insert: its number (1 = first data record), the client's key (null when it sent none:
 * such rows are told apart by number only, so they can never collide with a key the client chose)
 * and input fields.
 */
export interface NewRow { rowNumber: number; rowKey: string | null; input: Record<string, unknown> }

/** A claimed row, ready to issue. */
export interface ClaimedRow { batchId: string; rowNumber: number; input: Record<string, unknown> }

/** One row's outcome as the API shows it. */
export interface RowResult {
  row: number; rowKey: string | null; status: RowStatus; credentialId: string | null;
  error: { code: string; message: string; detail?: unknown } | null;
}

/** Row counts of a batch. */
export interface BatchProgress { total: number; issued: number; failed: number; pending: number }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const BATCH_COLUMNS = 'id, institution_id, status, template_id, template, options, actor, total, created_at, updated_at, completed_at';

interface BatchRow {
  id: string; institution_id: string; status: BatchStatus; template_id: string | null; template: Record<string, unknown> | null;
  options: IssueOptions; actor: Actor; total: number; created_at: Date; updated_at: Date; completed_at: Date | null;
}
const toBatch = (r: BatchRow): BatchRecord => ({
  id: r.id, institutionId: r.institution_id, status: r.status, templateId: r.template_id, template: r.template, options: r.options ?? {},
  actor: r.actor, total: r.total, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!, completedAt: iso(r.completed_at),
});

/** Creates a batch in `receiving` state (the runner ignores it until it is queued). */
export async function insertBatch(q: Queryable, b: { id: string; institutionId: string; templateId: string | null; template: Record<string, unknown> | null; options: IssueOptions; actor: Actor; at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO mc_batches (id, institution_id, status, template_id, template, options, actor, created_at, updated_at) VALUES ($1, $2, 'receiving', $3, $4, $5, $6, $7, $7)`,
    [b.id, b.institutionId, b.templateId, b.template === null ? null : JSON.stringify(b.template), JSON.stringify(b.options), JSON.stringify(b.actor), b.at],
  );
}

/**
 * Inserts a chunk of rows with one statement. A row whose key repeats an earlier key of the
 * batch is stored as failed (ROW_KEY_DUPLICATE) so it is reported, not dropped; its key is kept
 * in the error detail (the unique key column cannot hold it twice) and shown as its row key.
 */
export async function insertRows(q: Queryable, batchId: string, rows: readonly NewRow[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const { rows: inserted } = await q.query<{ row_number: number }>(
    `INSERT INTO mc_batch_rows (batch_id, row_number, row_key, status, input)
     SELECT $1, n, k, 'pending', i FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS t(n, k, i)
     ON CONFLICT (batch_id, row_key) DO NOTHING RETURNING row_number`,
    [batchId, rows.map((r) => r.rowNumber), rows.map((r) => r.rowKey), rows.map((r) => JSON.stringify(r.input))],
  );
  if (inserted.length === rows.length) return;
  const done = new Set(inserted.map((r) => r.row_number));
  for (const r of rows.filter((x) => !done.has(x.rowNumber))) {
    await q.query(
      `INSERT INTO mc_batch_rows (batch_id, row_number, row_key, status, input, error_code, error_message, error_detail, finished_at)
       VALUES ($1, $2, NULL, 'failed', $3, 'ROW_KEY_DUPLICATE', $4, $5, $6)`,
      [batchId, r.rowNumber, JSON.stringify(r.input), `Row key "${r.rowKey}" was already used by an earlier row of this batch.`, JSON.stringify({ rowKey: r.rowKey }), at],
    );
  }
}

/** Marks a fully received batch as queued with its row count. */
export async function queueBatch(q: Queryable, batchId: string, total: number, at: Date): Promise<void> {
  await q.query(`UPDATE mc_batches SET status = 'queued', total = $2, updated_at = $3 WHERE id = $1`, [batchId, total, at]);
}

/** Removes a batch whose upload failed (its rows go with it). */
export async function deleteBatch(q: Queryable, batchId: string): Promise<void> {
  await q.query('DELETE FROM mc_batches WHERE id = $1', [batchId]);
}

/** Reads a batch by id only (the runner acts for whichever institution owns it). */
export async function findBatch(q: Queryable, batchId: string): Promise<BatchRecord | null> {
  const { rows } = await q.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM mc_batches WHERE id = $1`, [batchId]);
  return rows[0] ? toBatch(rows[0]) : null;
}

/** Reads a batch of the institution; others' batches are not found. */
export async function getBatch(q: Queryable, institutionId: string, batchId: string): Promise<BatchRecord> {
  const b = UUID.test(batchId) ? await findBatch(q, batchId) : null;
  if (!b || b.institutionId !== institutionId) throw batchNotFound(batchId);
  return b;
}

/** Counts a batch's rows by outcome. */
export async function batchProgress(q: Queryable, batchId: string): Promise<BatchProgress> {
  const { rows } = await q.query<{ status: RowStatus; n: number | string }>(
    'SELECT status, count(*) AS n FROM mc_batch_rows WHERE batch_id = $1 GROUP BY status', [batchId],
  );
  const c: Record<RowStatus, number> = { pending: 0, processing: 0, issued: 0, failed: 0 };
  for (const r of rows) c[r.status] = Number(r.n);
  return { total: c.pending + c.processing + c.issued + c.failed, issued: c.issued, failed: c.failed, pending: c.pending + c.processing };
}

/** The key a ROW_KEY_DUPLICATE row was sent with (kept in its error detail). */
function duplicateKey(code: string | null, detail: unknown): string | null {
  if (code !== 'ROW_KEY_DUPLICATE' || typeof detail !== 'object' || detail === null) return null;
  const key = (detail as { rowKey?: unknown }).rowKey;
  return typeof key === 'string' ? key : null;
}

/** A page of row results, by row number; `status` filters (pending covers rows being processed). */
export async function listRowResults(q: Queryable, batchId: string, page: { status?: 'pending' | 'issued' | 'failed'; after?: number; limit: number }): Promise<RowResult[]> {
  const statuses = page.status === undefined ? null : page.status === 'pending' ? ['pending', 'processing'] : [page.status];
  const { rows } = await q.query<{ row_number: number; row_key: string | null; status: RowStatus; credential_id: string | null; error_code: string | null; error_message: string | null; error_detail: unknown }>(
    `SELECT row_number, row_key, status, credential_id, error_code, error_message, error_detail FROM mc_batch_rows
      WHERE batch_id = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[])) AND row_number > $3 ORDER BY row_number LIMIT $4`,
    [batchId, statuses, page.after ?? 0, page.limit],
  );
  return rows.map((r) => ({
    row: r.row_number, rowKey: r.row_key ?? duplicateKey(r.error_code, r.error_detail), status: r.status === 'processing' ? 'pending' : r.status, credentialId: r.credential_id,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '', ...(r.error_detail ? { detail: r.error_detail } : {}) } : null,
  }));
}

/**
 * Claims up to `limit` open rows of queued/running batches for `worker` until `leaseUntil`:
 * pending rows, and rows whose previous claimant's lease ran out (it crashed). SKIP LOCKED lets
 * several runners (several app instances on PostgreSQL) share the work without waiting.
 */
export async function claimRows(q: Queryable, worker: string, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedRow[]> {
  const { rows } = await q.query<{ batch_id: string; row_number: number; input: Record<string, unknown> }>(
    `UPDATE mc_batch_rows r SET status = 'processing', claimed_by = $1, lease_until = $4
       FROM (SELECT x.batch_id, x.row_number FROM mc_batch_rows x JOIN mc_batches b ON b.id = x.batch_id
              WHERE b.status IN ('queued', 'running')
                AND (x.status = 'pending' OR (x.status = 'processing' AND x.lease_until < $3))
              ORDER BY b.created_at, x.batch_id, x.row_number
              LIMIT $2 FOR UPDATE OF x SKIP LOCKED) c
      WHERE r.batch_id = c.batch_id AND r.row_number = c.row_number
      RETURNING r.batch_id, r.row_number, r.input`,
    [worker, limit, now, leaseUntil],
  );
  return rows.map((r) => ({ batchId: r.batch_id, rowNumber: r.row_number, input: r.input })).sort((a, b) => a.rowNumber - b.rowNumber);
}

/** Marks queued batches running (for the progress view). */
export async function markRunning(q: Queryable, batchIds: readonly string[], at: Date): Promise<void> {
  await q.query(`UPDATE mc_batches SET status = 'running', updated_at = $2 WHERE id = ANY($1::uuid[]) AND status = 'queued'`, [batchIds, at]);
}

/**
 * Records a row's outcome if `worker` still holds its claim; false when the claim was lost
 * (lease expired and another runner took the row), so the caller rolls back its writes.
 */
export async function finishRow(
  q: Queryable, worker: string, row: { batchId: string; rowNumber: number }, outcome: { credentialId: string } | { code: string; message: string; detail?: unknown }, at: Date,
): Promise<boolean> {
  const ok = 'credentialId' in outcome;
  const { rowCount } = await q.query(
    `UPDATE mc_batch_rows SET status = $4, credential_id = $5, error_code = $6, error_message = $7, error_detail = $8, finished_at = $9, claimed_by = NULL, lease_until = NULL
      WHERE batch_id = $1 AND row_number = $2 AND status = 'processing' AND claimed_by = $3`,
    [row.batchId, row.rowNumber, worker, ok ? 'issued' : 'failed', ok ? outcome.credentialId : null,
      ok ? null : outcome.code, ok ? null : outcome.message, ok || outcome.detail === undefined ? null : JSON.stringify(outcome.detail), at],
  );
  return rowCount === 1;
}

/** Gives a worker's unfinished claims back (graceful stop), so another run picks them up at once. */
export async function releaseClaims(q: Queryable, worker: string): Promise<number> {
  const { rowCount } = await q.query(`UPDATE mc_batch_rows SET status = 'pending', claimed_by = NULL, lease_until = NULL WHERE status = 'processing' AND claimed_by = $1`, [worker]);
  return rowCount;
}

/** Marks the batches done whose rows are all finished. */
export async function completeBatches(q: Queryable, batchIds: readonly string[], at: Date): Promise<void> {
  await q.query(
    `UPDATE mc_batches b SET status = 'done', completed_at = $2, updated_at = $2
      WHERE b.id = ANY($1::uuid[]) AND b.status IN ('queued', 'running')
        AND NOT EXISTS (SELECT 1 FROM mc_batch_rows r WHERE r.batch_id = b.id AND r.status IN ('pending', 'processing'))`,
    [batchIds, at],
  );
}

import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../store/index.js';
import { isUniqueViolation } from '../store/index.js';
import { UnprocessableError } from '../errors.js';

/** A stored response for an idempotency key. */
export interface StoredResponse {
  statusCode: number;
  body: unknown;
  /** `body` already serialised as JSON (sent as is; a ~100 KB credential is serialised once). */
  json?: string;
}

/**
 * A request's writes, run in the caller's transaction. `atomic`: they are a single statement,
 * so when nothing else must commit with them they run without BEGIN/COMMIT.
 */
export type Persist = ((q: Queryable) => Promise<void>) & { atomic?: true };

/** Stable hash of a request body: key order does not matter, values do. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(stableStringify(body)).digest('hex');
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * Run `work` at most once per (institution, scope, key): a retry with the same body gets the
 * first response; the same key with another body is refused. The stored response is written
 * in the same transaction as the work's own writes.
 */
export async function withIdempotency(
  db: Db,
  opts: { institutionId: string; scope: string; key: string | undefined; body: unknown },
  work: () => Promise<{ persist: Persist; response: StoredResponse }>,
): Promise<StoredResponse> {
  if (!opts.key) {
    const { persist, response } = await work();
    await (persist.atomic ? persist(db) : db.transaction(persist));
    return response;
  }
  const hash = requestHash(opts.body);
  const existing = await lookup(db, opts.institutionId, opts.scope, opts.key);
  if (existing) return replay(existing, hash, opts.key);
  const { persist, response } = await work();
  try {
    await db.transaction(async (tx) => {
      await persist(tx);
      await tx.query(
        'INSERT INTO idempotency_keys (institution_id, scope, key, request_hash, status_code, response) VALUES ($1, $2, $3, $4, $5, $6)',
        [opts.institutionId, opts.scope, opts.key, hash, response.statusCode, response.json ?? JSON.stringify(response.body)],
      );
    });
    return response;
  } catch (err) {
    // A concurrent request with the same key won; our writes rolled back — answer as a retry.
    if (!isUniqueViolation(err)) throw err;
    const winner = await lookup(db, opts.institutionId, opts.scope, opts.key);
    if (!winner) throw err;
    return replay(winner, hash, opts.key);
  }
}

async function lookup(q: Queryable, institutionId: string, scope: string, key: string) {
  const { rows } = await q.query<{ request_hash: string; status_code: number; response: string }>(
    'SELECT request_hash, status_code, response FROM idempotency_keys WHERE institution_id = $1 AND scope = $2 AND key = $3',
    [institutionId, scope, key],
  );
  return rows[0];
}

function replay(row: { request_hash: string; status_code: number; response: string }, hash: string, key: string): StoredResponse {
  if (row.request_hash !== hash) {
    throw new UnprocessableError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${key}" was already used with a different request body.`);
  }
  return { statusCode: row.status_code, body: JSON.parse(row.response), json: row.response };
}

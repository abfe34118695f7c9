/**
 * Idempotency-Key for batch submissions. Same table, scope-per-route and rules as single issuance
 * (credentials/idempotency.ts), but a CSV body is streamed, so its hash is only known once it has
 * been read: the key is looked up first and written in the transaction that queues the batch.
 */
import { requestHash } from '../credentials/index.js';
import { UnprocessableError } from '../errors.js';
import type { Queryable } from '../store/index.js';

/** The idempotency scope of POST /issuers/{slug}/batches. */
const SCOPE = 'batches.create';

/** A stored answer for a key. */
export interface StoredBatchAnswer { hash: string; statusCode: number; body: unknown }

/** The stored answer for (institution, key), if any. */
export async function findBatchKey(q: Queryable, institutionId: string, key: string): Promise<StoredBatchAnswer | undefined> {
  const { rows } = await q.query<{ request_hash: string; status_code: number; response: unknown }>(
    'SELECT request_hash, status_code, response FROM idempotency_keys WHERE institution_id = $1 AND scope = $2 AND key = $3',
    [institutionId, SCOPE, key],
  );
  const r = rows[0];
  if (!r) return undefined;
  return { hash: r.request_hash, statusCode: r.status_code, body: typeof r.response === 'string' ? JSON.parse(r.response) : r.response };
}

/** Records the answer for a key; a concurrent submission with the same key makes this a unique violation. */
export async function saveBatchKey(q: Queryable, institutionId: string, key: string, answer: StoredBatchAnswer): Promise<void> {
  await q.query(
    'INSERT INTO idempotency_keys (institution_id, scope, key, request_hash, status_code, response) VALUES ($1, $2, $3, $4, $5, $6)',
    [institutionId, SCOPE, key, answer.hash, answer.statusCode, JSON.stringify(answer.body)],
  );
}

/** The first answer when the body is the same; the same key with another body is refused as in single issuance. */
export function replayBatchKey(stored: StoredBatchAnswer, hash: string, key: string): unknown {
  if (stored.hash !== hash) {
    throw new UnprocessableError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${key}" was already used with a different request body.`);
  }
  return stored.body;
}

/** Fingerprint of a CSV submission: its query options and the SHA-256 of its bytes. */
export function csvSubmissionHash(opts: { templateId?: string; options?: unknown }, bodySha256: string): string {
  return requestHash({ kind: 'csv', templateId: opts.templateId ?? null, options: opts.options ?? {}, sha256: bodySha256 });
}

/** Fingerprint of a JSON submission (key order does not matter). */
export function jsonSubmissionHash(body: unknown): string {
  return requestHash({ kind: 'json', body });
}

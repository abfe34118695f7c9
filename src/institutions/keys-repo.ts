import type { Queryable } from '../store/index.js';
import type { KeyAlgorithm } from '../keys/types.js';

/** A stored key row: the record holds public parts and the encrypted private key. */
export interface KeyRow<R = unknown> {
  id: string;
  institutionId: string;
  algorithm: KeyAlgorithm;
  record: R;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
}

interface Row {
  id: string;
  institution_id: string;
  algorithm: KeyAlgorithm;
  record: unknown;
  status: 'active' | 'retired';
  created_at: Date | string;
  retired_at: Date | string | null;
}

const toKeyRow = <R>(r: Row): KeyRow<R> => ({
  id: r.id,
  institutionId: r.institution_id,
  algorithm: r.algorithm,
  record: r.record as R,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  retiredAt: r.retired_at ? new Date(r.retired_at).toISOString() : null,
});

/** Insert a key row. */
export async function insertKey(q: Queryable, k: { id: string; institutionId: string; algorithm: KeyAlgorithm; record: unknown; createdAt: Date }): Promise<void> {
  await q.query('INSERT INTO institution_keys (id, institution_id, algorithm, record, created_at) VALUES ($1, $2, $3, $4, $5)', [
    k.id,
    k.institutionId,
    k.algorithm,
    JSON.stringify(k.record),
    k.createdAt,
  ]);
}

/** All keys of an institution (active and retired), oldest first. */
export async function listKeys<R>(q: Queryable, institutionId: string): Promise<Array<KeyRow<R>>> {
  const { rows } = await q.query<Row>(
    'SELECT id, institution_id, algorithm, record, status, created_at, retired_at FROM institution_keys WHERE institution_id = $1 ORDER BY created_at, id',
    [institutionId],
  );
  return rows.map((r) => toKeyRow<R>(r));
}

/** Retire a key: it stays in the DID document's history but no longer verifies or signs. */
export async function retireKey(q: Queryable, institutionId: string, keyId: string, at: Date): Promise<boolean> {
  const res = await q.query(
    "UPDATE institution_keys SET status = 'retired', retired_at = $3 WHERE institution_id = $1 AND id = $2 AND status = 'active'",
    [institutionId, keyId, at],
  );
  return res.rowCount > 0;
}

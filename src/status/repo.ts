import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/index.js';
import type { StatusList, StatusPurpose } from './types.js';

interface ListRow {
  id: string;
  institution_id: string;
  purpose: StatusPurpose;
  size: number;
  state: 'open' | 'full';
  version: string | number;
}

const toList = (r: ListRow): StatusList => ({
  id: r.id,
  institutionId: r.institution_id,
  purpose: r.purpose,
  size: Number(r.size),
  state: r.state,
  version: Number(r.version),
});

/** A list by id. */
export async function findList(q: Queryable, id: string): Promise<StatusList | undefined> {
  const { rows } = await q.query<ListRow>('SELECT id, institution_id, purpose, size, state, version FROM status_lists WHERE id = $1', [id]);
  return rows[0] ? toList(rows[0]) : undefined;
}

/**
 * What verifying an entry of one of our lists needs, in one round trip: the list's purpose and
 * size, its institution's DID, and the entry's status (null when the index holds no entry).
 */
export async function listEntryForCheck(q: Queryable, listId: string, index: number): Promise<{ purpose: StatusPurpose; size: number; issuerDid: string | null; status: boolean | null } | undefined> {
  const { rows } = await q.query<{ purpose: StatusPurpose; size: number; did: string | null; status: boolean | null }>(
    `SELECT l.purpose, l.size, i.did, e.status
       FROM status_lists l
       LEFT JOIN institutions i ON i.id = l.institution_id
       LEFT JOIN status_entries e ON e.list_id = l.id AND e.idx = $2::bigint
      WHERE l.id = $1`,
    [listId, index],
  );
  const r = rows[0];
  return r ? { purpose: r.purpose, size: Number(r.size), issuerDid: r.did, status: r.status } : undefined;
}

/** The open list of an institution for a purpose, creating one when none is open (race-safe via the partial unique index). */
export async function openList(q: Queryable, institutionId: string, purpose: StatusPurpose, size: number, now: Date): Promise<StatusList> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { rows } = await q.query<ListRow>(
      "SELECT id, institution_id, purpose, size, state, version FROM status_lists WHERE institution_id = $1 AND purpose = $2 AND state = 'open'",
      [institutionId, purpose],
    );
    if (rows[0]) return toList(rows[0]);
    // Concurrent creators: one insert wins, the others hit the partial unique index and re-read.
    await q.query(
      'INSERT INTO status_lists (id, institution_id, purpose, size, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [randomUUID(), institutionId, purpose, size, now],
    );
  }
  throw new Error('could not open a status list');
}

/** Close a list to new entries (idempotent). */
export async function markFull(q: Queryable, listId: string): Promise<void> {
  await q.query("UPDATE status_lists SET state = 'full' WHERE id = $1 AND state = 'open'", [listId]);
}

// Candidate t.c of list $1 has no entry. OFFSET 0 keeps it a primary-key probe per candidate,
// stopping at the LIMIT: turned into a join, its plan would follow the statistics, which lag
// behind a list that is filling (and stay empty without autovacuum), and read all of the list's
// entries for every reservation.
const CANDIDATE_FREE = 'NOT EXISTS (SELECT 1 FROM status_entries e WHERE e.list_id = $1 AND e.idx = t.c OFFSET 0)';

/**
 * Among candidate indexes (in draw order), the first with no entry yet. One statement with
 * primary-key probes, so a batch of random draws costs one round trip.
 */
export async function firstFreeCandidate(q: Queryable, listId: string, candidates: readonly number[]): Promise<number | undefined> {
  const { rows } = await q.query<{ c: number }>(
    `SELECT c FROM unnest($2::int[]) WITH ORDINALITY AS t(c, ord)
      WHERE ${CANDIDATE_FREE}
      ORDER BY ord LIMIT 1`,
    [listId, candidates],
  );
  return rows[0] ? Number(rows[0].c) : undefined;
}

/**
 * firstFreeCandidate and reserveIndex in one statement: reserve the first `limit` candidates
 * (in draw order) with no entry. An empty result means none was free or other allocators took
 * them first (the caller then looks closer); the common case costs one round trip.
 */
export async function reserveFirstFree(q: Queryable, listId: string, candidates: readonly number[], now: Date, limit = 1): Promise<number[]> {
  const { rows } = await q.query<{ idx: number }>(
    `INSERT INTO status_entries (list_id, idx, reserved_at)
       SELECT $1, c, $3 FROM unnest($2::int[]) WITH ORDINALITY AS t(c, ord)
        WHERE ${CANDIDATE_FREE}
        ORDER BY ord LIMIT $4
     ON CONFLICT DO NOTHING RETURNING idx`,
    [listId, candidates, now, limit],
  );
  return rows.map((r) => Number(r.idx));
}

/** Free index ranges [lo, hi] of a list: one pass over its entries' primary-key index. */
export async function freeRanges(q: Queryable, listId: string, size: number): Promise<Array<[number, number]>> {
  const { rows } = await q.query<{ lo: number; hi: number }>(
    `SELECT lo, hi FROM (
       SELECT idx + 1 AS lo, lead(idx, 1, $2::int) OVER (ORDER BY idx) - 1 AS hi
         FROM (SELECT -1 AS idx UNION ALL SELECT idx FROM status_entries WHERE list_id = $1) e
     ) g WHERE lo <= hi ORDER BY lo`,
    [listId, size],
  );
  return rows.map((r) => [Number(r.lo), Number(r.hi)]);
}

/** Reserve one index; false when another allocator took it first. */
export async function reserveIndex(q: Queryable, listId: string, index: number, now: Date): Promise<boolean> {
  const res = await q.query('INSERT INTO status_entries (list_id, idx, reserved_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [listId, index, now]);
  return res.rowCount === 1;
}

/** A credential's entries with their list purpose; `lock` takes row locks on the entries (FOR UPDATE). */
export async function entriesOf(
  q: Queryable,
  credentialId: string,
  lock = false,
): Promise<Array<{ listId: string; index: number; purpose: StatusPurpose; status: boolean }>> {
  const { rows } = await q.query<{ list_id: string; idx: number; purpose: StatusPurpose; status: boolean }>(
    `SELECT e.list_id, e.idx, l.purpose, e.status FROM status_entries e JOIN status_lists l ON l.id = e.list_id
      WHERE e.credential_id = $1 ORDER BY l.purpose${lock ? ' FOR UPDATE OF e' : ''}`,
    [credentialId],
  );
  return rows.map((r) => ({ listId: r.list_id, index: Number(r.idx), purpose: r.purpose, status: r.status }));
}

/** Set one entry's bit and bump its list's version, in the caller's transaction. */
export async function setEntryStatus(q: Queryable, listId: string, index: number, status: boolean, now: Date): Promise<void> {
  await q.query('UPDATE status_entries SET status = $3, changed_at = $4 WHERE list_id = $1 AND idx = $2', [listId, index, status, now]);
}

/** Bump a list's version (row lock held until the caller's transaction ends). */
export async function bumpVersion(q: Queryable, listId: string): Promise<void> {
  await q.query('UPDATE status_lists SET version = version + 1 WHERE id = $1', [listId]);
}

/** Indexes whose bit is set. */
export async function setIndexes(q: Queryable, listId: string): Promise<number[]> {
  const { rows } = await q.query<{ idx: number }>('SELECT idx FROM status_entries WHERE list_id = $1 AND status', [listId]);
  return rows.map((r) => Number(r.idx));
}


/** The cached signed list credential. */
export interface SignedListRow {
  version: number;
  document: string;
  etag: string;
  signedAt: Date;
}

/** Read the cached signed list credential. */
export async function findSigned(q: Queryable, listId: string): Promise<SignedListRow | undefined> {
  const { rows } = await q.query<{ version: string | number; document: string; etag: string; signed_at: Date | string }>(
    'SELECT version, document, etag, signed_at FROM status_list_credentials WHERE list_id = $1',
    [listId],
  );
  const r = rows[0];
  return r ? { version: Number(r.version), document: r.document, etag: r.etag, signedAt: new Date(r.signed_at) } : undefined;
}

/** Store a signed list credential unless a newer one (higher version, or same version signed later) is there. */
export async function saveSigned(q: Queryable, listId: string, s: SignedListRow): Promise<void> {
  await q.query(
    `INSERT INTO status_list_credentials (list_id, version, document, etag, signed_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (list_id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document, etag = EXCLUDED.etag, signed_at = EXCLUDED.signed_at
      WHERE status_list_credentials.version < EXCLUDED.version
         OR (status_list_credentials.version = EXCLUDED.version AND status_list_credentials.signed_at < EXCLUDED.signed_at)`,
    [listId, s.version, s.document, s.etag, s.signedAt],
  );
}

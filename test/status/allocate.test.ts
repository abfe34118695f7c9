import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeStores } from '../helpers/stores.js';
import type { Db, Queryable } from '../../src/store/index.js';
import { allocateEntry, STATUS_LIST_SIZE } from '../../src/status/index.js';
import type { ReservedBlock } from '../../src/status/allocate.js';

const now = () => new Date('2025-03-01T12:00:00Z');

/** The store, counting the reservations (INSERTs into status_entries) made through it; `failNext` makes the next one fail. */
function counting(db: Db) {
  const seen = { reservations: 0, failNext: false };
  const q: Queryable = {
    query: (sql, params) => {
      if (sql.includes('INSERT INTO status_entries')) {
        seen.reservations++;
        if (seen.failNext) {
          seen.failNext = false;
          return Promise.reject(new Error('connection lost'));
        }
      }
      return db.query(sql, params);
    },
  };
  return { q, seen };
}

async function institution(db: Db): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO institutions (id, slug, did, legal_name, country, api_key_hash) VALUES ($1, $2, $3, $4, $5, $6)', [id, `s-${id.slice(0, 8)}`, `did:web:x:${id}`, 'X', 'BE', id]);
  return id;
}

describeStores('status index allocation', (getDb) => {
  it('rolls over to a new list when one fills, using every index of each list exactly once', async () => {
    const db = getDb();
    const inst = await institution(db);
    const got = [];
    for (let i = 0; i < 10; i++) got.push(await allocateEntry({ db, listSize: 4, now }, inst, 'revocation'));
    const lists = [...new Set(got.map((e) => e.listId))];
    expect(lists).toHaveLength(3);
    expect(got.slice(0, 4).every((e) => e.listId === lists[0])).toBe(true);
    expect(got.slice(0, 4).map((e) => e.index).sort()).toEqual([0, 1, 2, 3]);
    expect(got.slice(4, 8).map((e) => e.index).sort()).toEqual([0, 1, 2, 3]);
    const { rows } = await db.query<{ state: string; n: string }>("SELECT state, count(*)::text AS n FROM status_lists WHERE institution_id = $1 GROUP BY state ORDER BY state", [inst]);
    expect(rows).toEqual([{ state: 'full', n: '2' }, { state: 'open', n: '1' }]);
    // Purposes have lists of their own.
    const susp = await allocateEntry({ db, listSize: 4, now }, inst, 'suspension');
    expect(lists).not.toContain(susp.listId);
  });

  it('two replicas remembering the open list stay exact: a list one of them filled is noticed by the other at once', async () => {
    const db = getDb();
    const inst = await institution(db);
    const a = { db, listSize: 4, now, openLists: new Map() };
    const b = { db, listSize: 4, now, openLists: new Map() };
    const got = [];
    // A takes three, B the fourth (B's remembered list is then full), A's next must roll over, B follows.
    for (const deps of [a, b, a, a, b, a, b, b, a, b, a, b]) got.push(await allocateEntry(deps, inst, 'revocation'));
    const byList = new Map<string, number[]>();
    for (const e of got) byList.set(e.listId, [...(byList.get(e.listId) ?? []), e.index]);
    expect([...byList.values()].map((ix) => ix.sort())).toEqual([[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]]);
    const { rows } = await db.query<{ state: string; n: string }>("SELECT state, count(*)::text AS n FROM status_lists WHERE institution_id = $1 GROUP BY state ORDER BY state", [inst]);
    expect(rows).toEqual([{ state: 'full', n: '2' }, { state: 'open', n: '1' }]);
  });

  it('draws with the injected randomness, skips used indexes and never reuses a reserved-but-unlinked one', async () => {
    const db = getDb();
    const inst = await institution(db);
    const draws = [7, 7, 3];
    const randomInt = () => draws.shift() ?? 0;
    const first = await allocateEntry({ db, listSize: 8, now, randomInt, probes: 1 }, inst, 'revocation');
    expect(first.index).toBe(7);
    // 7 is taken (reserved, never linked: as after a crash before commit) → the next free draw wins.
    const second = await allocateEntry({ db, listSize: 8, now, randomInt, probes: 1 }, inst, 'revocation');
    expect(second.index).toBe(3);
    const rest = [];
    for (let i = 0; i < 6; i++) rest.push((await allocateEntry({ db, listSize: 8, now }, inst, 'revocation')).index);
    expect(rest.sort()).toEqual([0, 1, 2, 4, 5, 6]);
  });

  it('200 parallel allocations on one list are 200 distinct indexes', async () => {
    const db = getDb();
    const inst = await institution(db);
    const got = await Promise.all(Array.from({ length: 200 }, () => allocateEntry({ db, listSize: STATUS_LIST_SIZE, now }, inst, 'revocation')));
    expect(new Set(got.map((e) => `${e.listId}#${e.index}`)).size).toBe(200);
    expect(new Set(got.map((e) => e.listId)).size).toBe(1);
  });

  it('reserving ahead: 40 parallel allocations share a few block reservations and are 40 distinct indexes', async () => {
    const db = getDb();
    const inst = await institution(db);
    const { q, seen } = counting(db);
    const deps = { db: q, listSize: STATUS_LIST_SIZE, now, reserveAhead: 8, reserved: new Map<string, ReservedBlock>() };
    const got = await Promise.all(Array.from({ length: 40 }, () => allocateEntry(deps, inst, 'revocation')));
    expect(new Set(got.map((e) => `${e.listId}#${e.index}`)).size).toBe(40);
    // Concurrent callers wait for the refill under way instead of each starting one: 40 / 8.
    expect(seen.reservations).toBe(5);
    const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM status_entries WHERE list_id = $1', [got[0]!.listId]);
    expect(rows[0]!.n).toBe('40');
  });

  it('reserving ahead rolls over lists smaller than a block, using every index of each list exactly once', async () => {
    const db = getDb();
    const inst = await institution(db);
    const deps = { db, listSize: 4, now, reserveAhead: 8, reserved: new Map<string, ReservedBlock>() };
    const got = [];
    for (let i = 0; i < 12; i++) got.push(await allocateEntry(deps, inst, 'revocation'));
    const byList = new Map<string, number[]>();
    for (const e of got) byList.set(e.listId, [...(byList.get(e.listId) ?? []), e.index]);
    expect([...byList.values()].map((ix) => ix.sort())).toEqual([[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]]);
  });

  it('a failed block reservation fails the callers waiting on it, and the next allocation reserves again', async () => {
    const db = getDb();
    const inst = await institution(db);
    const { q, seen } = counting(db);
    const deps = { db: q, listSize: STATUS_LIST_SIZE, now, reserveAhead: 4, reserved: new Map<string, ReservedBlock>() };
    seen.failNext = true;
    const first = await Promise.allSettled([allocateEntry(deps, inst, 'revocation'), allocateEntry(deps, inst, 'revocation')]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const next = await allocateEntry(deps, inst, 'revocation');
    expect(next.index).toBeGreaterThanOrEqual(0);
    expect(seen.reservations).toBe(2);
  });

  it('stays fast on a 99%-full 131,072-entry list (batched random probes, then a free-range scan)', async () => {
    const db = getDb();
    const inst = await institution(db);
    const seed = await allocateEntry({ db, listSize: STATUS_LIST_SIZE, now }, inst, 'revocation');
    // Fill all but ~1% (every index except multiples of 100 and the seed) in one statement.
    await db.query(
      `INSERT INTO status_entries (list_id, idx, reserved_at) SELECT $1, g, now() FROM generate_series(0, $2 - 1) g WHERE g % 100 <> 0 AND g <> $3`,
      [seed.listId, STATUS_LIST_SIZE, seed.index],
    );
    const t0 = performance.now();
    const got = [];
    for (let i = 0; i < 50; i++) got.push(await allocateEntry({ db, listSize: STATUS_LIST_SIZE, now }, inst, 'revocation'));
    const fastMs = (performance.now() - t0) / 50;
    expect(got.every((e) => e.listId === seed.listId && e.index % 100 === 0)).toBe(true);
    expect(new Set(got.map((e) => e.index)).size).toBe(50);
    // Force the scan path: one probe per round.
    const t1 = performance.now();
    for (let i = 0; i < 10; i++) {
      const e = await allocateEntry({ db, listSize: STATUS_LIST_SIZE, now, probes: 1, randomInt: (max) => (max === STATUS_LIST_SIZE ? 1 : Math.floor(max / 2)) }, inst, 'revocation');
      expect(e.index % 100).toBe(0);
    }
    const scanMs = (performance.now() - t1) / 10;
    console.log(`99%-full list: ${fastMs.toFixed(1)} ms per allocation (probes), ${scanMs.toFixed(1)} ms with the free-range scan`);
    expect(fastMs).toBeLessThan(200);
  }, 60_000);
});

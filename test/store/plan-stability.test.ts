import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../src/store/index.js';
import { insertCredential, insertCredentials, type IssueWrite } from '../../src/credentials/repo.js';
import { reserveFirstFree } from '../../src/status/repo.js';
import { openPostgres } from '../../src/store/postgres.js';
import { dropTestSchemas, openTestDb, storeKinds } from '../helpers/stores.js';

// The statements of an issuance that touch status_entries must keep probing its primary key as
// the table grows, whatever the planner's statistics say (a server without autovacuum never
// analyses the tables; these tests never do): rows read are counted by the server itself.

/** Rows this transaction has read from a table (status_entries unless told) and its indexes so far. */
async function rowsRead(tx: Queryable, table = 'status_entries'): Promise<number> {
  const { rows } = await tx.query<{ n: string }>(
    `SELECT sum(pg_stat_get_xact_tuples_returned(c.oid))::text AS n FROM pg_class c
      WHERE c.oid = $1::regclass OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = $1::regclass)`,
    [table],
  );
  return Number(rows[0]!.n);
}

async function institutionAndList(db: Db): Promise<{ institutionId: string; listId: string }> {
  const institutionId = randomUUID();
  const listId = randomUUID();
  await db.query('INSERT INTO institutions (id, slug, did, legal_name, country, api_key_hash) VALUES ($1, $2, $3, $4, $5, $6)', [institutionId, `p-${institutionId.slice(0, 8)}`, `did:web:plan.test:${institutionId}`, 'Plan University', 'BE', institutionId]);
  await db.query("INSERT INTO status_lists (id, institution_id, purpose, size) VALUES ($1, $2, 'revocation', 200000)", [listId, institutionId]);
  return { institutionId, listId };
}

/** Reserve n entries of the list, from index `from` and `step` apart, as reservations do. */
const fill = (q: Queryable, listId: string, from: number, n: number, step = 1) =>
  q.query('INSERT INTO status_entries (list_id, idx, reserved_at) SELECT $1, $2::int + g * $4::int, now() FROM generate_series(0, $3::int - 1) g', [listId, from, n, step]);

for (const kind of storeKinds) {
  describe(`plans that stay index probes as status_entries grows [${kind}]`, () => {
    const dbs: Db[] = [];
    afterAll(async () => {
      for (const db of dbs) await db.close();
      await dropTestSchemas();
    });
    const fresh = async () => {
      const db = await openTestDb(kind);
      dbs.push(db);
      return db;
    };

    it('linking entries at issuance reads the linked entries only, after the table has grown past the plan a small table suggested', async () => {
      const db = await fresh();
      const { institutionId, listId } = await institutionAndList(db);
      let next = 0;
      const writes = async (q: Queryable, n: number): Promise<IssueWrite[]> => {
        await fill(q, listId, next, n);
        return Array.from({ length: n }, () => {
          const id = `urn:uuid:${randomUUID()}`;
          const at = new Date();
          return {
            credential: { id, institutionId, mechanism: 'vc+jwt', format: 'vc+jwt', document: { id }, jwt: null, subjectId: null, kind: 'vc', issuedAt: at },
            audit: { actor: { kind: 'admin', id: 'plan-test' }, institutionId, action: 'credential.issued', targetType: 'credential', targetId: id, at },
            entries: [{ listId, index: next++ }],
          };
        });
      };
      await db.transaction(async (tx) => {
        // Enough executions on one connection, while the table is small, for a cached plan to settle.
        for (let i = 0; i < 8; i++) {
          await insertCredentials(tx, await writes(tx, 2));
          const [one] = await writes(tx, 1);
          await insertCredential(tx, one!.credential, one!.audit, one!.entries);
        }
        await fill(tx, listId, 100_000, 40_000);
        const batch = await writes(tx, 2);
        const [single] = await writes(tx, 1);
        const before = await rowsRead(tx);
        await insertCredentials(tx, batch);
        await insertCredential(tx, single!.credential, single!.audit, single!.entries);
        // Three entries linked; a sequential scan would have read the list's 40,000 others.
        expect((await rowsRead(tx)) - before).toBeLessThan(50);
      });
      const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM status_entries WHERE list_id = $1 AND credential_id IS NOT NULL', [listId]);
      expect(Number(rows[0]!.n)).toBe(8 * 3 + 3);
    });

    it('reserving probes candidates one by one in draw order, however full the list is', async () => {
      const db = await fresh();
      const { listId } = await institutionAndList(db);
      // 30,000 entries: every fifth index of the first 150,000.
      await fill(db, listId, 0, 30_000, 5);
      const candidates = [0, 5, 10, 1, 15, 2, 3, 4, 6, ...Array.from({ length: 247 }, (_, i) => 150_001 + i)];
      const { got, read } = await db.transaction(async (tx) => {
        const before = await rowsRead(tx);
        const got = await reserveFirstFree(tx, listId, candidates, new Date(), 4);
        return { got, read: (await rowsRead(tx)) - before };
      });
      expect(got).toEqual([1, 2, 3, 4]);
      // Eight probes (four taken, four free), not a pass over the list's 30,000 entries.
      expect(read).toBeLessThan(50);
    });
  });
}

describe.runIf(process.env.TEST_DATABASE_URL)('pooled connections are replaced with age, and their cached plans with them [postgres]', () => {
  it('a page query planned while its table was empty reads a page, not every match, once its connection has been replaced', async () => {
    const schema = `t_plan_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
    const db = await openPostgres({ url: process.env.TEST_DATABASE_URL!, schema, max: 1, connectionLifetimeSeconds: 1 });
    try {
      await db.query('CREATE TABLE events (id bigserial PRIMARY KEY, owner uuid NOT NULL, at timestamptz NOT NULL)');
      await db.query('CREATE INDEX events_by_owner ON events (owner, at DESC)');
      const owner = randomUUID();
      const page = 'SELECT id FROM events WHERE owner = $1 ORDER BY at DESC LIMIT 20';
      // Executions enough for the one connection to settle on a plan for an empty table.
      for (let i = 0; i < 8; i++) await db.query(page, [owner]);
      await db.query("INSERT INTO events (owner, at) SELECT $1, now() - g * interval '1 second' FROM generate_series(1, 30000) g", [owner]);
      await new Promise((r) => setTimeout(r, 1_200));
      await db.query('SELECT 1'); // the expired connection is closed as this use releases it
      const read = await db.transaction(async (tx) => {
        const before = await rowsRead(tx, 'events');
        const { rows } = await tx.query(page, [owner]);
        expect(rows).toHaveLength(20);
        return (await rowsRead(tx, 'events')) - before;
      });
      // One page along the ordered index; the empty table's plan fetched all 30,000 rows and sorted them.
      expect(read).toBeLessThan(100);
    } finally {
      await db.close();
      const admin = await openPostgres({ url: process.env.TEST_DATABASE_URL! });
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import pg from 'pg';
import { openDb, type Db } from '../../src/store/index.js';

/** The stores every store test runs against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const storeKinds: Array<'pglite' | 'postgres'> = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

const createdSchemas: string[] = [];

/** Open a fresh, migrated store of the given kind; PostgreSQL gets a schema of its own for this run. */
export async function openTestDb(kind: 'pglite' | 'postgres'): Promise<Db> {
  if (kind === 'pglite') return openDb({});
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  createdSchemas.push(schema);
  return openDb({ databaseUrl: process.env.TEST_DATABASE_URL, schema, poolMax: 20 });
}

/** Drop every schema this process created on PostgreSQL. */
export async function dropTestSchemas(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url || createdSchemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of createdSchemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Run a suite once per store kind with a fresh migrated Db. */
export function describeStores(title: string, fn: (getDb: () => Db, kind: 'pglite' | 'postgres') => void): void {
  for (const kind of storeKinds) {
    describe(`${title} [${kind}]`, () => {
      let db: Db | undefined;
      beforeAll(async () => {
        db = await openTestDb(kind);
      });
      afterAll(async () => {
        await db?.close();
        await dropTestSchemas();
      });
      fn(() => {
        if (!db) throw new Error('store not open yet');
        return db;
      }, kind);
    });
  }
}

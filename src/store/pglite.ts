import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './types.js';
import { ChangeHub, quotedChannel } from './changes.js';

/** Open the embedded PostgreSQL (PGlite); in memory when dataDir is undefined. */
export async function openPglite(opts: { dataDir?: string; schema?: string }): Promise<Db> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pg = opts.dataDir ? new PGlite(opts.dataDir) : new PGlite();
  await pg.waitReady;
  if (opts.schema) {
    // One connection, so a session-level search_path is the whole store's.
    await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}; SET search_path TO ${quoteIdent(opts.schema)}`);
  }
  // One connection: it hears every change, its own writes' before they return.
  const changes = new ChangeHub();
  await pg.listen(quotedChannel(opts.schema ?? 'public'), (payload) => changes.deliver(payload));
  changes.setLive(true);
  const run = async <R>(q: { query: PGlite['query'] }, sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const res = await q.query<R>(sql, params ? [...params] : undefined);
    return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
  };
  let closed = false;
  return {
    kind: 'pglite',
    changes,
    // PGlite runs every statement unnamed, planned for its parameters: QueryOptions.prepared is moot.
    query: (sql, params) => run(pg, sql, params),
    // PGlite serialises transactions on its single connection; no deadlocks between them.
    transaction: (fn) =>
      pg.transaction(async (tx) => {
        const q: Queryable = { query: (sql, params) => run(tx, sql, params) };
        return fn(q);
      }),
    ping: async () => {
      await pg.query('SELECT 1');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      changes.setLive(false);
      await pg.close();
    },
  };
}

/** Quote an SQL identifier (schema names come from config/tests, never from requests). */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid SQL identifier: ${name}`);
  return `"${name}"`;
}

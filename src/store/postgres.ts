import pg from 'pg';
import type { Db, Queryable, QueryResult } from './types.js';
import { quoteIdent } from './pglite.js';

// Parameterised statements are prepared once per connection and then only bound and executed:
// the server skips parsing and planning, which is most of its work for the short statements
// of an issuance. The statements are the service's own fixed SQL; a cap keeps any dynamically
// built text from growing every connection's set of prepared statements without bound.
const MAX_PREPARED = 512;
const statementNames = new Map<string, string>();

function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_PREPARED) statementNames.set(sql, (name = `mc${statementNames.size}`));
  return name;
}

/** Open a PostgreSQL pool; every connection uses `schema` (created if missing) when given. */
export async function openPostgres(opts: { url: string; schema?: string; max?: number }): Promise<Db> {
  if (opts.schema) {
    const admin = new pg.Client({ connectionString: opts.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    ...(opts.schema ? { options: `-c search_path=${quoteIdent(opts.schema)}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const run = async <R>(q: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const name = params && params.length > 0 ? statementName(sql) : undefined;
    const res = name ? await q.query({ name, text: sql, values: [...params!] }) : await q.query(sql, params ? [...params] : undefined);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
  };
  let closed = false;
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const q: Queryable = { query: (sql, params) => run(client, sql, params) };
        const result = await fn(q);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // connection is gone; do not return it to the pool
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
    get poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
  } as Db;
}

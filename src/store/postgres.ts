import pg from 'pg';
import type { Db, Queryable, QueryResult } from './types.js';
import { quoteIdent } from './pglite.js';
import { ChangeHub, quotedChannel } from './changes.js';

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
  const schema = opts.schema ?? (await pool.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
  const changes = new ChangeHub();
  const listen = `LISTEN ${quotedChannel(schema)}`;
  // Every pooled connection listens too, from its first use: a session hears its own
  // notifications before its COMMIT returns, so this process's caches have dropped what it
  // changed before it answers.
  const listening = new WeakSet<pg.PoolClient>();
  const checkout = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect();
    if (listening.has(client)) return client;
    try {
      await client.query(listen);
    } catch (err) {
      client.release(true);
      throw err;
    }
    client.on('notification', (n) => changes.deliver(n.payload ?? ''));
    listening.add(client);
    return client;
  };
  // An error the server answered leaves the connection usable; any other may not have.
  const broken = (err: unknown) => !(err instanceof pg.DatabaseError);
  const listener = keepListening(opts.url, opts.schema, listen, changes);
  await listener.ready;
  const run = async <R>(q: pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const name = params && params.length > 0 ? statementName(sql) : undefined;
    const res = name ? await q.query({ name, text: sql, values: [...params!] }) : await q.query(sql, params ? [...params] : undefined);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
  };
  let closed = false;
  return {
    kind: 'postgres',
    changes,
    query: async (sql, params) => {
      const client = await checkout();
      let failed = false;
      try {
        return await run(client, sql, params);
      } catch (err) {
        failed = broken(err);
        throw err;
      } finally {
        client.release(failed);
      }
    },
    transaction: async (fn) => {
      const client = await checkout();
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
      await listener.stop();
      await pool.end();
    },
    get poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
  } as Db;
}

/**
 * The connection that decides whether this process hears every change: LISTEN, and while it
 * lasts the feed is live; when it drops the feed goes dark (caches read through) and it is
 * re-established with backoff. `ready` settles after the first attempt, successful or not:
 * the store works without it, only uncached.
 */
function keepListening(url: string, schema: string | undefined, listen: string, changes: ChangeHub): { ready: Promise<void>; stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delayMs = 100;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'microcred-changes', ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}) });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (client === c) client = undefined;
      changes.setLive(false);
      c.end().catch(() => undefined);
      if (!stopped) {
        timer = setTimeout(() => void connect(), delayMs);
        timer.unref();
        delayMs = Math.min(delayMs * 2, 5_000);
      }
    };
    c.on('error', onLost);
    c.on('end', onLost);
    c.on('notification', (n) => changes.deliver(n.payload ?? ''));
    try {
      await c.connect();
      await c.query(listen);
    } catch {
      onLost();
      return;
    }
    if (stopped || lost) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    delayMs = 100;
    changes.setLive(true);
  };
  return {
    ready: connect(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      changes.setLive(false);
      await c?.end().catch(() => undefined);
    },
  };
}

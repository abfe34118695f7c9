import pg from 'pg';
import type { Db, Queryable, QueryOptions, QueryResult } from './types.js';
import { quoteIdent } from './pglite.js';
import { randomUUID } from 'node:crypto';
import { ChangeHub, changeChannel, PROBE_PREFIX, quotedChannel } from './changes.js';

// Parameterised statements are prepared once per connection and then only bound and executed:
// the server skips parsing and planning, which is most of its work for the short statements
// of an issuance. The statements are the service's own fixed SQL; a cap keeps any dynamically
// built text from growing every connection's set of prepared statements without bound.
const MAX_PREPARED = 512;
const statementNames = new Map<string, string>();
/** Age after which a pooled connection is replaced, its cached plans with it (see below). */
export const CONNECTION_LIFETIME_SECONDS = 300;

function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_PREPARED) statementNames.set(sql, (name = `mc${statementNames.size}`));
  return name;
}

/** Open a PostgreSQL pool; every connection uses `schema` (created if missing) when given. */
export async function openPostgres(opts: { url: string; schema?: string; max?: number; heartbeat?: Heartbeat; connectionLifetimeSeconds?: number }): Promise<Db> {
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
    // A prepared statement keeps the generic plan it settled on until the tables' statistics
    // change. Where nothing refreshes them (autovacuum off, or long between ANALYZEs) a plan
    // made while a table was small (a sort of every match rather than an ordered index scan)
    // would serve it for good as it grows; a connection past this age is replaced when next
    // released, and its successor plans for the tables as they are.
    maxLifetimeSeconds: opts.connectionLifetimeSeconds ?? CONNECTION_LIFETIME_SECONDS,
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
  const connectionSuspect = (err: unknown) => !(err instanceof pg.DatabaseError);
  const channel = changeChannel(schema);
  const listener = keepListening({
    url: opts.url, listen, changes, heartbeat: opts.heartbeat ?? DEFAULT_HEARTBEAT,
    send: async (payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
  });
  await listener.ready;
  const run = async <R>(q: pg.PoolClient, sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<QueryResult<R>> => {
    const name = params && params.length > 0 && opts?.prepared !== false ? statementName(sql) : undefined;
    const res = name ? await q.query({ name, text: sql, values: [...params!] }) : await q.query(sql, params ? [...params] : undefined);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
  };
  let closed = false;
  return {
    kind: 'postgres',
    changes,
    query: async (sql, params, opts) => {
      const client = await checkout();
      let failed = false;
      try {
        return await run(client, sql, params, opts);
      } catch (err) {
        failed = connectionSuspect(err);
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
        const q: Queryable = { query: (sql, params, opts) => run(client, sql, params, opts) };
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

/** How the listening connection proves it still hears: a probe sent by another session, every intervalMs. */
export interface Heartbeat {
  intervalMs: number;
  /** A probe not heard within this long means changes may be going unheard: the feed goes dark. */
  timeoutMs: number;
  /** Longest a listening connection may take to connect and LISTEN before it is given up and retried (default 5 s). */
  connectTimeoutMs?: number;
  /** Sends a probe payload as any other session would (tests replace it to lose probes). */
  send?: (payload: string) => Promise<void>;
}

const DEFAULT_HEARTBEAT: Heartbeat = { intervalMs: 5_000, timeoutMs: 2_000 };

/**
 * The connection that decides whether this process hears every change: LISTEN, then a probe
 * notification sent through the pool (another session) must come back before the feed goes
 * live, and again at every heartbeat. A connection that drops, or that silently stops hearing
 * (a half-open TCP connection, a transaction-mode pooler in between), turns the feed dark —
 * caches read through — and is replaced, with backoff. `ready` settles after the first attempt,
 * successful or not: the store works without the feed, only uncached.
 */
function keepListening(
  opts: { url: string; listen: string; changes: ChangeHub; heartbeat: Heartbeat; send: (payload: string) => Promise<void> },
): { ready: Promise<void>; stop(): Promise<void> } {
  const { changes, heartbeat } = opts;
  const send = heartbeat.send ?? opts.send;
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let beat: NodeJS.Timeout | undefined;
  let delayMs = 100;
  const waiting = new Map<string, () => void>();

  /** Send a probe and wait for it on the listening connection. */
  const heard = async (): Promise<boolean> => {
    const nonce = `${PROBE_PREFIX}${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const back = new Promise<boolean>((resolve) => {
      waiting.set(nonce, () => resolve(true));
      timer = setTimeout(() => resolve(false), heartbeat.timeoutMs);
    });
    try {
      await send(nonce);
      return await back;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      waiting.delete(nonce);
    }
  };

  const connect = async (): Promise<void> => {
    // LISTEN names its channel in full: this connection needs no search_path.
    // Bounded: a server that accepts the connection and never answers must not stall the feed for
    // good; an attempt that times out is lost like a dropped connection, and retried.
    const within = heartbeat.connectTimeoutMs ?? 5_000;
    const c = new pg.Client({ connectionString: opts.url, application_name: 'microcred-changes', connectionTimeoutMillis: within, query_timeout: within });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (client === c) client = undefined;
      clearTimeout(beat);
      changes.setLive(false);
      c.end().catch(() => undefined);
      if (!stopped) {
        retry = setTimeout(() => void connect(), delayMs);
        retry.unref();
        delayMs = Math.min(delayMs * 2, 5_000);
      }
    };
    c.on('error', onLost);
    c.on('end', onLost);
    c.on('notification', (n) => {
      const payload = n.payload ?? '';
      if (payload.startsWith(PROBE_PREFIX)) waiting.get(payload)?.();
      else changes.deliver(payload);
    });
    try {
      await c.connect();
      await c.query(opts.listen);
    } catch {
      onLost();
      return;
    }
    if (!(await heard())) {
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
    const tick = async () => {
      if (lost || stopped) return;
      if (!(await heard())) return onLost();
      beat = setTimeout(() => void tick(), heartbeat.intervalMs);
      beat.unref();
    };
    beat = setTimeout(() => void tick(), heartbeat.intervalMs);
    beat.unref();
  };
  return {
    ready: connect(),
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(beat);
      const c = client;
      client = undefined;
      changes.setLive(false);
      await c?.end().catch(() => undefined);
    },
  };
}

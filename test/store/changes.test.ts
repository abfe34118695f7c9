import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { describeStores } from '../helpers/stores.js';
import { createChangeCache, openDb, type Change } from '../../src/store/index.js';
import { ChangeHub, parseChange } from '../../src/store/changes.js';

async function eventually(ok: () => boolean, ms = 5_000): Promise<number> {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - t0;
}

const orgInsert = "INSERT INTO trust_organisations (id, kind, legal_name, source) VALUES ($1, 'qa-agency', 'Probe Agency', 'admin')";

describeStores('store change feed', (getDb, kind) => {
  const record = () => {
    const seen: Array<Change | null> = [];
    const stop = getDb().changes.subscribe((c) => seen.push(c));
    return { seen, stop };
  };

  it('is live once the store is open', () => {
    expect(getDb().changes.live).toBe(true);
  });

  // A list with entries 0..9, whose status changes are announced by list and index.
  const entries = async () => {
    const db = getDb();
    const inst = randomUUID();
    const list = randomUUID();
    await db.query("INSERT INTO institutions (id, slug, did, legal_name, country, api_key_hash) VALUES ($1, $2, $3, 'Probe U', 'BE', $4)", [inst, `probe-${inst.slice(0, 8)}`, `did:web:probe.test:${inst}`, randomUUID()]);
    await db.query("INSERT INTO status_lists (id, institution_id, purpose, size) VALUES ($1, $2, 'revocation', 1024)", [list, inst]);
    await db.query('INSERT INTO status_entries (list_id, idx, reserved_at) SELECT $1, g, now() FROM generate_series(0, 9) g', [list]);
    return { list, key: (i: number): Change => ({ topic: 'status', key: `${list}:${i}` }) };
  };
  const settle = () => new Promise((r) => setTimeout(r, 200));

  it("has heard this process's own write when the write returns, and only once it commits", async () => {
    const db = getDb();
    const { list, key } = await entries();
    const { seen, stop } = record();
    await db.query(orgInsert, [randomUUID()]);
    expect(seen).toContainEqual({ topic: 'trust', key: null });
    await db.query('UPDATE status_entries SET status = true WHERE list_id = $1 AND idx = 1', [list]);
    expect(seen).toContainEqual(key(1));
    await db.transaction(async (tx) => {
      await tx.query('UPDATE status_entries SET status = true WHERE list_id = $1 AND idx = 2', [list]);
      await settle();
      expect(seen).not.toContainEqual(key(2));
    });
    expect(seen).toContainEqual(key(2));
    await db.transaction(async (tx) => {
      await tx.query('UPDATE status_entries SET status = true WHERE list_id = $1 AND idx = 3', [list]);
      throw new Error('roll back');
    }).catch(() => undefined);
    await settle();
    expect(seen).not.toContainEqual(key(3));
    stop();
  });

  it('announces a status change by list and index, and nothing when an issuance links an entry or the list version moves', async () => {
    const db = getDb();
    const { list, key } = await entries();
    const { seen, stop } = record();
    await db.query("UPDATE status_entries SET credential_id = NULL WHERE list_id = $1 AND idx = 4", [list]);
    await db.query('UPDATE status_lists SET version = version + 1, state = $2 WHERE id = $1', [list, 'full']);
    await settle();
    expect(seen.filter((c) => c?.topic === 'status')).toEqual([]);
    await db.query('UPDATE status_entries SET status = true WHERE list_id = $1 AND idx IN (4, 5)', [list]);
    expect(seen).toContainEqual(key(4));
    expect(seen).toContainEqual(key(5));
    expect(seen).not.toContainEqual(key(6));
    stop();
  });

  if (kind === 'postgres') {
    it("hears another process's write within moments, and goes dark and back when its listening connection is cut", async () => {
      const db = getDb();
      const { rows } = await db.query<{ s: string }>('SELECT current_schema() AS s');
      const other = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL, options: `-c search_path=${rows[0]!.s}` });
      await other.connect();
      try {
        const { seen, stop } = record();
        await other.query(orgInsert, [randomUUID()]);
        const ms = await eventually(() => seen.some((c) => c?.topic === 'trust'));
        expect(ms).toBeLessThan(5_000);

        // Cut the connection that decides liveness: subscribers are told to forget everything,
        // the feed is dark, then it comes back by itself.
        seen.length = 0;
        const cut = await other.query<{ n: number }>(
          "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'microcred-changes' AND query ILIKE $1",
          [`LISTEN "microcred:${rows[0]!.s}"`],
        );
        expect(cut.rows[0]!.n).toBe(1);
        await eventually(() => !db.changes.live);
        expect(seen).toContain(null);
        await eventually(() => db.changes.live, 10_000);
        // And what changes after the reconnection is heard again.
        seen.length = 0;
        await other.query(orgInsert, [randomUUID()]);
        await eventually(() => seen.some((c) => c?.topic === 'trust'));
        stop();
      } finally {
        await other.end();
      }
    }, 30_000);
  }
});

const pgUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!pgUrl)('change feed heartbeat [postgres]', () => {
  it('goes live only once a probe comes back, and dark when probes stop coming back', async () => {
    // Probes are sent as configured; switching them to another channel is a listener that went deaf.
    let deaf = false;
    const schema = `t_hb_${Date.now().toString(36)}`;
    const probeChannel = () => (deaf ? 'microcred:nobody' : `microcred:${schema}`);
    const sender = new pg.Client({ connectionString: pgUrl });
    await sender.connect();
    const heartbeat = { intervalMs: 100, timeoutMs: 300, send: async (p: string) => void (await sender.query('SELECT pg_notify($1, $2)', [probeChannel(), p])) };
    const db = await openDb({ databaseUrl: pgUrl, schema, heartbeat });
    try {
      expect(db.changes.live).toBe(true);
      const seen: Array<Change | null> = [];
      db.changes.subscribe((c) => seen.push(c));
      await new Promise((r) => setTimeout(r, 400));
      expect(seen).toEqual([]); // probes are not changes
      deaf = true;
      await eventually(() => !db.changes.live, 3_000);
      expect(seen).toContain(null);
      // It keeps trying, and comes back once probes are heard again.
      deaf = false;
      await eventually(() => db.changes.live, 10_000);
    } finally {
      await db.close();
      await sender.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await sender.end();
    }
  }, 30_000);

  it('recovers after a listening connection attempt that the server accepted and never answered', async () => {
    // A TCP proxy to PostgreSQL that can turn into a black hole: it accepts and never forwards.
    const target = new URL(pgUrl!);
    let blackhole = false;
    const sockets = new Set<Socket>();
    const proxy = createServer((down) => {
      sockets.add(down);
      down.on('close', () => sockets.delete(down));
      down.on('error', () => undefined);
      if (blackhole) return;
      const up = connect(Number(target.port || 5432), target.hostname);
      up.on('error', () => down.destroy());
      down.on('error', () => up.destroy());
      down.pipe(up).pipe(down);
      sockets.add(up);
      up.on('close', () => sockets.delete(up));
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const via = new URL(pgUrl!);
    via.hostname = '127.0.0.1';
    via.port = String((proxy.address() as AddressInfo).port);
    const schema = `t_hb_${Date.now().toString(36)}`;
    const db = await openDb({ databaseUrl: via.toString(), schema, heartbeat: { intervalMs: 100, timeoutMs: 300, connectTimeoutMs: 300 } });
    try {
      expect(db.changes.live).toBe(true);
      blackhole = true;
      for (const s of sockets) s.destroy();
      await eventually(() => !db.changes.live, 3_000);
      // Attempts made meanwhile hang; without a bound the first of them would never end.
      await new Promise((r) => setTimeout(r, 1_000));
      blackhole = false;
      await eventually(() => db.changes.live, 10_000);
    } finally {
      await db.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => proxy.close(r));
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }, 30_000);

  it('never goes live when no probe comes back (a transaction-mode pooler, say): caches read through', async () => {
    const schema = `t_hb_${Date.now().toString(36)}`;
    const sender = new pg.Client({ connectionString: pgUrl });
    await sender.connect();
    const db = await openDb({ databaseUrl: pgUrl, schema, heartbeat: { intervalMs: 100, timeoutMs: 200, send: async (p) => void (await sender.query("SELECT pg_notify('microcred:nobody', $1)", [p])) } });
    try {
      expect(db.changes.live).toBe(false);
      const cache = createChangeCache<number>(db.changes, { topic: 'trust' });
      let loads = 0;
      await cache.get('k', async () => ++loads);
      await cache.get('k', async () => ++loads);
      expect(loads).toBe(2);
    } finally {
      await db.close();
      await sender.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await sender.end();
    }
  }, 30_000);
});

describe('change payloads', () => {
  it('split into topic and key at the first colon', () => {
    expect(parseChange('trust')).toEqual({ topic: 'trust', key: null });
    expect(parseChange('status:3f1c:17')).toEqual({ topic: 'status', key: '3f1c:17' });
  });
});

describe('change cache', () => {
  const setup = () => {
    const hub = new ChangeHub();
    hub.setLive(true);
    let loads = 0;
    let value = 'v1';
    const load = async () => {
      loads++;
      return { value };
    };
    const cache = createChangeCache<{ value: string } | null>(hub, { topic: 'trust' });
    return { hub, cache, load, loads: () => loads, set: (v: string) => (value = v) };
  };

  it('serves what it loaded until its topic announces a change of the key, the topic or anything', async () => {
    const { hub, cache, load, loads, set } = setup();
    expect(await cache.get('k', load)).toEqual({ value: 'v1' });
    expect(await cache.get('k', load)).toEqual({ value: 'v1' });
    expect(loads()).toBe(1);
    set('v2');
    hub.deliver('status:k'); // another topic
    hub.deliver('trust:other'); // another key
    expect(await cache.get('k', load)).toEqual({ value: 'v1' });
    hub.deliver('trust:k');
    expect(await cache.get('k', load)).toEqual({ value: 'v2' });
    set('v3');
    hub.deliver('trust');
    expect(await cache.get('k', load)).toEqual({ value: 'v3' });
    set('v4');
    hub.setLive(true); // a reconnection: anything may have been missed
    expect(await cache.get('k', load)).toEqual({ value: 'v4' });
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 4, bypassed: 0, size: 1 });
  });

  it('does not keep a value whose load began before a change was announced', async () => {
    const { hub, cache, loads } = setup();
    let release!: (v: { value: string }) => void;
    const slow = cache.get('k', () => new Promise((r) => (release = r)));
    hub.deliver('trust'); // committed while the old row was being read
    release({ value: 'old' });
    expect(await slow).toEqual({ value: 'old' });
    expect(await cache.get('k', async () => ({ value: 'new' }))).toEqual({ value: 'new' });
    expect(loads()).toBe(0);
  });

  it('shares one load between concurrent misses', async () => {
    const { cache, load, loads } = setup();
    const got = await Promise.all(Array.from({ length: 10 }, () => cache.get('k', load)));
    expect(loads()).toBe(1);
    expect(new Set(got).size).toBe(1);
  });

  it('reads through while the feed is not live, and keeps nothing then', async () => {
    const { hub, cache, load, loads } = setup();
    hub.setLive(false);
    await cache.get('k', load);
    await cache.get('k', load);
    expect(loads()).toBe(2);
    expect(cache.stats()).toMatchObject({ bypassed: 2, size: 0 });
  });

  it('keeps only what `keep` allows, and hands out frozen values', async () => {
    const hub = new ChangeHub();
    hub.setLive(true);
    const cache = createChangeCache<{ list: number[] } | null>(hub, { topic: 't', keep: (v) => v !== null });
    let n = 0;
    await cache.get('missing', async () => (n++, null));
    await cache.get('missing', async () => (n++, null));
    expect(n).toBe(2);
    const v = await cache.get('k', async () => ({ list: [1] }));
    expect(() => v!.list.push(2)).toThrow(TypeError);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const url = process.env.TEST_DATABASE_URL;
const ROOT = new URL('../../', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Service processes started by `pid` (its children running src/server.ts; a TypeScript compiler it may run is not one), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((e) => {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const isChild = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      return isChild && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('server.ts') ? [Number(e)] : [];
    } catch {
      return [];
    }
  });
}

/** GET on a connection of its own: node:cluster hands each new connection to the next process in turn. */
function getFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** Counter samples (`name{labels}` → value) of an exposition text. */
function counters(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!/^microcred_\w+(_total|_count|_sum|_bucket)[{ ]/.test(line)) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

// Needs PostgreSQL: several processes cannot share the embedded store.
describe.skipIf(!url)('PROCESSES=2: two service processes on one port', () => {
  const dir = mkdtempSync(join(tmpdir(), 'microcred-cluster-'));
  const adminToken = `admintoken_${randomBytes(16).toString('hex')}`;
  // A schema of its own, named through the connection string as an operator would.
  const schema = `cl_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  const spawned: ChildProcess[] = [];
  let child: ChildProcess;
  let base: string;

  const start = async (port: number, databaseUrl: string) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '', PROCESSES: '2', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`,
        KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), ADMIN_TOKEN: adminToken, KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn', DEMO_INSTITUTION: 'false', WORKER_THREADS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(proc);
    // Drain both pipes (a full pipe would stall the processes) and keep the text for a failure message.
    let output = '';
    proc.stdout!.on('data', (b: Buffer) => (output += b.toString()));
    proc.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    // Ready: both processes up (the admin API is rate-limited: poll /readyz), and the one answering is ours (our admin token is accepted).
    // Generous: three processes load the TypeScript sources while the rest of the suite runs.
    const deadline = Date.now() + 180_000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ready && childrenOf(proc.pid!).length === 2) {
        const ours = await fetch(`http://127.0.0.1:${port}/admin/institutions`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.ok, () => false);
        if (ours) return { proc, port };
        proc.kill('SIGKILL');
        return undefined;
      }
      // Another suite took the port between our probe and the bind: try another.
      if (output.includes('EADDRINUSE')) {
        proc.kill('SIGKILL');
        return undefined;
      }
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`cluster did not become ready (exit ${proc.exitCode}):\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const databaseUrl = `${url}${url!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    let started: Awaited<ReturnType<typeof start>>;
    for (let attempt = 0; attempt < 3 && !started; attempt++) started = await start(await freePort(), databaseUrl);
    if (!started) throw new Error('no free port for the cluster after 3 attempts');
    child = started.proc;
    base = `http://127.0.0.1:${started.port}`;
  }, 240_000);

  afterAll(async () => {
    for (const c of spawned) {
      if (c.exitCode !== null) continue;
      for (const pid of childrenOf(c.pid!)) process.kill(pid, 'SIGKILL');
      c.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
    const tables = await admin.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    // The service ran in its own schema (migrated there), not in the database's public one.
    expect(tables.rows[0].n).toBeGreaterThan(5);
  });

  it('serves through both, issues and verifies', { timeout: 120_000 }, async () => {
    expect(childrenOf(child.pid!)).toHaveLength(2);
    const slug = `cl-${Date.now().toString(36)}`;
    const inst = await fetch(`${base}/admin/institutions`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug, legalName: 'Cluster University', country: 'BE', legalIdentifiers: { eidas: `NTRBE-${slug}` } }),
    }).then((r) => r.json() as Promise<{ apiKey: string }>);
    // Requests go round-robin to both processes; each must see what the other wrote.
    for (let i = 0; i < 6; i++) {
      const issued = await fetch(`${base}/credentials/issue`, {
        method: 'POST', headers: { authorization: `Bearer ${inst.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ credential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:learner', name: 'Ada' } } }),
      });
      expect(issued.status).toBe(201);
      const { verifiableCredential } = await issued.json() as { verifiableCredential: unknown };
      const verified = await fetch(`${base}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential }) });
      expect(verified.status).toBe(200);
    }
  });

  it('GET /metrics answers for the whole service: scrapes never go backwards and count what both processes served', { timeout: 120_000 }, async () => {
    const healthz = 'microcred_http_requests_total{route="/healthz",method="GET",status="200"}';
    const scrape = async () => {
      const res = await getFresh(`${base}/metrics`);
      expect(res.status, res.body).toBe(200);
      return counters(res.body);
    };
    const scrapes = [await scrape()];
    const served = scrapes[0]!.get(healthz) ?? 0;
    // Each on a new connection, so the two processes take turns serving them.
    for (let i = 0; i < 10; i++) expect((await getFresh(`${base}/healthz`)).status).toBe(200);
    // Consecutive scrapes land on both processes in turn; each reports everything.
    for (let i = 0; i < 4; i++) scrapes.push(await scrape());
    for (const s of scrapes.slice(1)) expect(s.get(healthz)).toBe(served + 10);
    for (let i = 0; i < 10; i++) await getFresh(`${base}/healthz`);
    scrapes.push(await scrape());
    expect(scrapes.at(-1)!.get(healthz)).toBe(served + 20);
    // Six issuances and verifications in the test before, spread over both processes.
    expect(scrapes.at(-1)!.get('microcred_issuance_total{mechanism="eddsa-rdfc-2022",outcome="issued"}')).toBe(6);
    expect(scrapes.at(-1)!.get('microcred_verification_total{mechanism="eddsa-rdfc-2022",outcome="valid"}')).toBe(6);
    for (let i = 1; i < scrapes.length; i++) {
      for (const [series, value] of scrapes[i - 1]!) expect(scrapes[i]!.get(series), series).toBeGreaterThanOrEqual(value);
    }
  });

  it('stops cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

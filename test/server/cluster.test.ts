import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

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

// Needs PostgreSQL: several processes cannot share the embedded store.
describe.skipIf(!url)('PROCESSES=2: two service processes on one port', () => {
  it('serves through both, issues and verifies, and stops cleanly on SIGTERM', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microcred-cluster-'));
    const adminToken = `admintoken_${randomBytes(16).toString('hex')}`;
    // A schema of its own, named through the connection string as an operator would.
    const schema = `cl_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const databaseUrl = `${url}${url!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const spawned: ChildProcess[] = [];
    const start = async (port: number) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '', PROCESSES: '2', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`,
          KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), ADMIN_TOKEN: adminToken, KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
          LOG_LEVEL: 'warn', DEMO_INSTITUTION: 'false', WORKER_THREADS: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      spawned.push(child);
      // Drain both pipes (a full pipe would stall the processes) and keep the text for a failure message.
      let output = '';
      child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
      // Ready: both processes up (the admin API is rate-limited: poll /readyz), and the one answering is ours (our admin token is accepted).
      // Generous: three processes load the TypeScript sources while the rest of the suite runs.
      const deadline = Date.now() + 180_000;
      for (;;) {
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
        if (ready && childrenOf(child.pid!).length === 2) {
          const ours = await fetch(`http://127.0.0.1:${port}/admin/institutions`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.ok, () => false);
          if (ours) return { child, port, output: () => output };
          child.kill('SIGKILL');
          return undefined;
        }
        // Another suite took the port between our probe and the bind: try another.
        if (output.includes('EADDRINUSE')) {
          child.kill('SIGKILL');
          return undefined;
        }
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`cluster did not become ready (exit ${child.exitCode}):\n${output.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      let started: Awaited<ReturnType<typeof start>>;
      for (let attempt = 0; attempt < 3 && !started; attempt++) started = await start(await freePort());
      if (!started) throw new Error('no free port for the cluster after 3 attempts');
      const { child, port } = started;
      const base = `http://127.0.0.1:${port}`;
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
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
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
    }
  });
});

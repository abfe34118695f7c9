import { spawn } from 'node:child_process';
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

/** Child process ids of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((e) => {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(e)] : [];
    } catch {
      return [];
    }
  });
}

// Needs PostgreSQL: several processes cannot share the embedded store.
describe.skipIf(!url)('PROCESSES=2: two service processes on one port', () => {
  it('serves through both, issues and verifies, and stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'microcred-cluster-'));
    const base = `http://127.0.0.1:${port}`;
    const adminToken = `admintoken_${randomBytes(16).toString('hex')}`;
    // A schema of its own, named through the connection string as an operator would.
    const schema = `cl_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const databaseUrl = `${url}${url!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '', PROCESSES: '2', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base,
        KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), ADMIN_TOKEN: adminToken, KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn', DEMO_INSTITUTION: 'false', WORKER_THREADS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
        if (ok && childrenOf(child.pid!).length === 2) break;
        if (Date.now() > deadline) throw new Error('cluster did not become ready');
        await new Promise((r) => setTimeout(r, 200));
      }
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
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      const tables = await admin.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`, [schema]);
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
      // The service ran in its own schema (migrated there), not in the database's public one.
      expect(tables.rows[0].n).toBeGreaterThan(5);
    }
  });
});

import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { describeStores } from '../helpers/stores.js';
import { loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';
import type { Db } from '../../src/store/index.js';
import { claimRows } from '../../src/microcredentials/index.js';
import type { Actor } from '../../src/audit/index.js';
import { courseSpec, csvOf } from './fixtures.js';

const ROWS = 30;
const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://issuer.test' });
const admin: Actor = { kind: 'admin', id: 'test' };

/** One "app instance" over the shared store, with its own clock and its own runner (worker id). */
async function instance(db: Db, kek: Buffer, now: () => Date): Promise<Services> {
  return createServices(config, { db, kek, adminToken: `admintoken_${randomBytes(16).toString('hex')}`, now });
}

async function until(cond: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every row issued once, rows 1..n without gaps, one distinct stored credential per row. */
async function expectExactlyOnce(db: Db, batchId: string, n: number): Promise<void> {
  const { rows } = await db.query<{ row_number: number; status: string; credential_id: string | null }>(
    'SELECT row_number, status, credential_id FROM mc_batch_rows WHERE batch_id = $1 ORDER BY row_number', [batchId]);
  expect(rows.map((r) => r.row_number)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(rows.every((r) => r.status === 'issued' && r.credential_id)).toBe(true);
  expect(new Set(rows.map((r) => r.credential_id)).size).toBe(n);
  const stored = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM credentials WHERE kind = 'micro-credential' AND id = ANY($1::text[])`, [rows.map((r) => r.credential_id)]);
  expect(stored.rows[0]!.n).toBe(n);
  const audit = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'credential.issued' AND target_id = ANY($1::text[])`, [rows.map((r) => r.credential_id)]);
  expect(audit.rows[0]!.n).toBe(n);
}

describeStores('batch runner: interruption and resume', (getDb) => {
  const kek = randomBytes(32);
  let clock = new Date('2026-01-01T10:00:00Z');
  const now = () => new Date(clock.getTime() + (Date.now() % 1000));

  async function setup(s: Services, slug: string) {
    await s.institutions.create({ slug, legalName: `${slug} University`, country: 'BE', legalIdentifiers: { eidas: `NTRBE-${slug}` } } as never, admin);
    const institution = await s.institutions.getBySlug(slug);
    const tpl = await s.microcredentials.templates.create(institution, { name: 'Course', spec: courseSpec }, admin);
    const batch = await s.microcredentials.createCsvBatch(institution, admin, Readable.from([csvOf(ROWS)]), { templateId: tpl.id, maxBytes: 1 << 20 });
    return { institution, batch };
  }

  it('a runner stopped mid-way hands its claims back; another instance resumes with no duplicates and no gaps', { timeout: 240_000 }, async () => {
    const a = await instance(getDb(), kek, now);
    const b = await instance(getDb(), kek, now);
    const { institution, batch } = await setup(a, 'run-a');
    // Signing is fast enough to finish 30 rows between two polls: pace instance A's issuing so
    // it is certainly stopped mid-way (B runs at full speed).
    const signAndStore = a.credentials.signAndStore;
    a.credentials.signAndStore = async (...args) => {
      await new Promise((r) => setTimeout(r, 40));
      return signAndStore(...args);
    };
    a.microcredentials.runner.start();
    await until(async () => (await a.microcredentials.getBatch(institution, batch.id)).issued >= 8);
    await a.microcredentials.runner.stop();
    const mid = await a.microcredentials.getBatch(institution, batch.id);
    expect(mid.issued).toBeGreaterThanOrEqual(8);
    expect(mid.issued).toBeLessThan(ROWS);
    expect(mid.status).toBe('running');
    const open = await getDb().query<{ n: number }>(`SELECT count(*)::int AS n FROM mc_batch_rows WHERE batch_id = $1 AND status = 'processing'`, [batch.id]);
    expect(open.rows[0]!.n).toBe(0);
    b.microcredentials.runner.start();
    await until(async () => (await b.microcredentials.getBatch(institution, batch.id)).status === 'done');
    await b.microcredentials.runner.stop();
    expect(await b.microcredentials.getBatch(institution, batch.id)).toMatchObject({ total: ROWS, issued: ROWS, failed: 0, pending: 0 });
    await expectExactlyOnce(getDb(), batch.id, ROWS);
  });

  it('rows claimed by a crashed runner are taken over only after their lease runs out, then issued once', { timeout: 240_000 }, async () => {
    const s = await instance(getDb(), kek, now);
    const { institution, batch } = await setup(s, 'run-b');
    // A runner that claimed 5 rows and died: its claims stay "processing" with a lease.
    const dead = await claimRows(getDb(), 'dead-worker', 5, now(), new Date(now().getTime() + 60_000));
    expect(dead.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5]);
    const runner = s.microcredentials.runner;
    while ((await runner.runOnce()) > 0);
    const view = await s.microcredentials.getBatch(institution, batch.id);
    expect(view).toMatchObject({ issued: ROWS - 5, pending: 5, status: 'running' });
    clock = new Date(clock.getTime() + 120_000); // the dead runner's lease expires
    while ((await runner.runOnce()) > 0);
    expect(await s.microcredentials.getBatch(institution, batch.id)).toMatchObject({ issued: ROWS, pending: 0, status: 'done' });
    await expectExactlyOnce(getDb(), batch.id, ROWS);
  });
});

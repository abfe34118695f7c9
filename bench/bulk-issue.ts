/**
 * Bulk issuance benchmark: one CSV batch of N learners (default 10,000) through
 * POST /issuers/{slug}/batches on embedded PGlite (or DATABASE_URL), measuring rows/second
 * and peak RSS. Usage: npx tsx bench/bulk-issue.ts [rows] [--mechanism=eddsa-rdfc-2022]
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/store/index.js';

const rows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000);
const mechanism = process.argv.find((a) => a.startsWith('--mechanism='))?.split('=')[1] ?? 'eddsa-rdfc-2022';
const schema = process.env.DATABASE_URL ? `bench_${Date.now().toString(36)}` : undefined;

let peakRss = process.memoryUsage().rss;
let peakHeap = process.memoryUsage().heapUsed;
// RSS includes an embedded PGlite's own memory (the whole in-memory database); heapUsed is ours.
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 100);

const db = await openDb({ ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, schema } : {}) });
const adminToken = `admintoken_${randomBytes(16).toString('hex')}`;
const app = await buildApp(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://issuer.test', LOG_LEVEL: 'warn' }), { db, kek: randomBytes(32), adminToken });
await app.ready();
const created = await app.inject({ method: 'POST', url: '/admin/institutions', headers: { authorization: `Bearer ${adminToken}` }, payload: { slug: 'bench-uni', legalName: 'Bench University', country: 'BE', legalIdentifiers: { eidas: 'NTRBE-bench' } } });
const auth = { authorization: `Bearer ${created.json<{ apiKey: string }>().apiKey}` };
const spec = {
  title: 'Data literacy basics', learningOutcomes: [{ text: 'Interpret descriptive statistics of a data set.' }], workload: { ects: 2 }, eqfLevel: 5,
  assessment: { type: 'written-examination' }, participation: { mode: 'online' }, qualityAssurance: { type: 'institutional-qa' },
};
const tpl = await app.inject({ method: 'POST', url: '/issuers/bench-uni/templates', headers: auth, payload: { name: 'bench', spec } });
const templateId = tpl.json<{ id: string }>().id;

// The CSV is generated as a stream, so the benchmark itself holds no file in memory.
function* csv(): Generator<string> {
  yield 'row_key,given_name,family_name,email,grade\n';
  for (let i = 1; i <= rows; i++) yield `r${i},Given${i},Family${i},l${i}@example.org,Pass\n`;
}
const rssBeforeMiB = Math.round(process.memoryUsage().rss / 1048576);
const heapBeforeMiB = Math.round(process.memoryUsage().heapUsed / 1048576);
const t0 = performance.now();
const res = await app.inject({ method: 'POST', url: `/issuers/bench-uni/batches?templateId=${templateId}&mechanism=${mechanism}`, headers: { ...auth, 'content-type': 'text/csv' }, payload: Readable.from(csv()) });
if (res.statusCode !== 202) throw new Error(`batch refused: ${res.statusCode} ${res.body}`);
const uploadMs = performance.now() - t0;
if (process.env.BENCH_PROGRESS) console.error(`upload ${Math.round(uploadMs)} ms`);
const url = res.headers.location as string;
let view: { status: string; issued: number; failed: number; pending: number };
for (;;) {
  await new Promise((r) => setTimeout(r, 1000));
  view = (await app.inject({ method: 'GET', url, headers: auth })).json();
  if (process.env.BENCH_PROGRESS) console.error(`${Math.round((performance.now() - t0) / 1000)}s issued=${view.issued} failed=${view.failed}`);
  if (view.status === 'done') break;
}
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
console.log(JSON.stringify({
  bench: 'bulk-issue', store: db.kind, mechanism, rows, issued: view.issued, failed: view.failed,
  uploadMs: Math.round(uploadMs), seconds: Math.round(seconds * 10) / 10, rowsPerSecond: Math.round((rows / seconds) * 10) / 10,
  rssBeforeMiB, peakRssMiB: Math.round(peakRss / 1048576), heapBeforeMiB, peakHeapMiB: Math.round(peakHeap / 1048576),
}));
await app.close();
if (schema) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
await db.close();

/**
 * `npm run build && npx tsx bench/profile.ts <issue|verify> <small|annex-i> [--jwt] [--c 16] [--db url]`:
 * runs the service under `node --cpu-prof`, drives one scenario for 8 s with autocannon,
 * and prints the top self-time costs of the main thread and of each worker thread.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { annexCredential, smallCredential } from './lib/fixtures.js';
import { drive } from './lib/load.js';
import { call, startService } from './lib/service.js';
import { summarizeProfile } from './lib/cpuprofile.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { jwt: { type: 'boolean', default: false }, c: { type: 'string', default: '16' }, db: { type: 'string' }, seconds: { type: 'string', default: '8' } } });
const op = positionals[0] === 'verify' ? 'verify' : 'issue';
const which = positionals[1] === 'annex-i' ? 'annex-i' : 'small';
const dir = mkdtempSync(join(tmpdir(), 'microcred-prof-'));
const svc = await startService({ root: ROOT, databaseUrl: values.db, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
try {
  const inst = await call<{ apiKey: string; did: string }>(svc.url, '/admin/institutions', { token: svc.adminToken, body: { slug: `prof-${Date.now().toString(36)}`, legalName: 'Profile University', country: 'BE', legalIdentifiers: { eidas: 'NTRBE-prof' } } });
  const credential = which === 'annex-i' ? annexCredential(inst.body.did) : smallCredential();
  const body = { credential, options: { mechanism: values.jwt ? 'vc+jwt' : 'eddsa-rdfc-2022' } };
  const common = { connections: Number(values.c), durationS: Number(values.seconds) };
  let row;
  if (op === 'verify') {
    const one = await call<{ verifiableCredential: unknown }>(svc.url, '/credentials/issue', { token: inst.body.apiKey, body });
    const first = await call(svc.url, '/credentials/verify', { body: { verifiableCredential: one.body.verifiableCredential } });
    row = await drive(svc, { name: `verify ${which}`, path: '/credentials/verify', body: { verifiableCredential: one.body.verifiableCredential }, okStatuses: [first.status], ...common });
  } else row = await drive(svc, { name: `issue ${which}`, path: '/credentials/issue', token: inst.body.apiKey, body, ...common });
  const cpu = row.cpuMsPerOp;
process.stdout.write(`${row.name} c=${row.concurrency}: ${row.throughput.toFixed(1)}/s p50 ${row.p50} ms p99 ${row.p99} ms, ${row.errors} errors; CPU ms/op: service ${cpu?.service.toFixed(2)}, database ${cpu?.db.toFixed(2)}, load generator ${cpu?.loadgen.toFixed(2)}\n`);
} finally {
  await svc.stop();
}
// The main thread's profile is the largest file; the others are the worker threads.
const files = readdirSync(dir).map((f) => join(dir, f)).sort((a, b) => statSync(b).size - statSync(a).size);
for (const [i, f] of files.entries()) {
  const s = summarizeProfile(f, i === 0 ? 40 : 15);
  process.stdout.write(`\n== ${i === 0 ? 'main thread' : `thread ${i}`} (${s.totalMs.toFixed(0)} ms sampled)\n${s.functions.join('\n')}\n-- by package\n${s.packages.slice(0, 8).join('\n')}\n${i === 0 ? `-- inclusive\n${s.inclusive.join('\n')}\n` : ''}`);
}
rmSync(dir, { recursive: true, force: true });

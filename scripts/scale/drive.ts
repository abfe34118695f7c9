/**
 * Scale-out proof, driven through the load balancer: 1,000 issuances, 200 revocations and
 * 1,000 verifications against two replicas on one PostgreSQL. Checks that every status
 * index is unique (in the database and in the credentials), every revocation is visible
 * through both replicas within the list's ttl, and nothing failed. Exit code 1 on any failure.
 * Env: LB_URL, REPLICA_URLS (comma-separated), ADMIN_TOKEN, DATABASE_URL; optional ISSUES,
 * REVOKES, VERIFIES, CONCURRENCY.
 */
import pg from 'pg';

const env = (name: string, dflt?: string): string => {
  const v = process.env[name] ?? dflt;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};
const LB = env('LB_URL');
const REPLICAS = env('REPLICA_URLS').split(',');
const ADMIN = env('ADMIN_TOKEN');
const ISSUES = Number(env('ISSUES', '1000'));
const REVOKES = Number(env('REVOKES', '200'));
const VERIFIES = Number(env('VERIFIES', '1000'));
const CONCURRENCY = Number(env('CONCURRENCY', '16'));

type Json = Record<string, any>;
const failures: string[] = [];
const fail = (msg: string) => {
  failures.push(msg);
  if (failures.length <= 20) process.stderr.write(`FAIL ${msg}\n`);
};

async function post(base: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: Json; via: string | null }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed, via: res.headers.get('x-upstream') };
}

/** Run `fn` over 0..n-1 with at most `c` in flight; latencies in ms. */
async function pool(n: number, c: number, fn: (i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(c, n) }, async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await fn(i);
      latencies.push(performance.now() - t);
    }
  }));
  latencies.sort((a, b) => a - b);
  return { seconds: (performance.now() - start) / 1000, latencies };
}
const pct = (l: number[], p: number) => l[Math.min(l.length - 1, Math.max(0, Math.ceil((p / 100) * l.length) - 1))] ?? 0;
const line = (name: string, n: number, r: { seconds: number; latencies: number[] }) =>
  `${name.padEnd(14)} ${String(n).padStart(5)} in ${r.seconds.toFixed(1).padStart(5)} s  ${(n / r.seconds).toFixed(1).padStart(6)}/s  p50 ${pct(r.latencies, 50).toFixed(0)} ms  p99 ${pct(r.latencies, 99).toFixed(0)} ms`;

async function main(): Promise<void> {
  const slug = `scale-${Date.now().toString(36)}`;
  const inst = await post(LB, '/admin/institutions', { slug, legalName: 'Scale University', country: 'BE', legalIdentifiers: { eidas: `NTRBE-${slug}` } }, ADMIN);
  if (inst.status !== 201) throw new Error(`create institution: ${inst.status} ${JSON.stringify(inst.body)}`);
  const key = inst.body.apiKey as string;

  // 1. Issue through the balancer: mostly Data Integrity, every fifth as vc+jwt.
  const issued: Array<{ id: string; vc: Json; entry?: { url: string; index: number } }> = new Array(ISSUES);
  const upstreams = new Map<string, number>();
  const issueRun = await pool(ISSUES, CONCURRENCY, async (i) => {
    const mechanism = i % 5 === 4 ? 'vc+jwt' : 'eddsa-rdfc-2022';
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
      type: ['VerifiableCredential', 'ExampleAlumniCredential'],
      credentialSubject: { id: `did:example:learner-${i}`, alumniOf: { id: 'did:example:uni', name: 'Example University' } },
    };
    const r = await post(LB, '/credentials/issue', { credential, options: { mechanism } }, key);
    if (r.via) upstreams.set(r.via, (upstreams.get(r.via) ?? 0) + 1);
    if (r.status !== 201) return fail(`issue #${i}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    const vc = r.body.verifiableCredential as Json;
    const doc = mechanism === 'vc+jwt' ? JSON.parse(Buffer.from(String(vc.id).split(',')[1]!.split('.')[1]!, 'base64url').toString('utf8')) as Json : vc;
    const statuses = (Array.isArray(doc.credentialStatus) ? doc.credentialStatus : [doc.credentialStatus]).filter(Boolean) as Json[];
    const rev = statuses.find((s) => s.statusPurpose === 'revocation');
    issued[i] = { id: String(doc.id), vc, ...(rev ? { entry: { url: String(rev.statusListCredential), index: Number(rev.statusListIndex) } } : {}) };
    if (!rev) fail(`issue #${i}: no revocation entry`);
  });
  const ok = issued.filter(Boolean);

  // 2. Uniqueness, in the credentials and in the database.
  const seen = new Set<string>();
  for (const c of ok) {
    if (!c.entry) continue;
    const k = `${c.entry.url}#${c.entry.index}`;
    if (seen.has(k)) fail(`duplicate status entry ${k}`);
    seen.add(k);
  }
  const db = new pg.Client({ connectionString: env('DATABASE_URL') });
  await db.connect();
  const dup = await db.query('SELECT list_id, idx, count(*) AS n FROM status_entries GROUP BY list_id, idx HAVING count(*) > 1');
  if (dup.rowCount) fail(`${dup.rowCount} duplicate (list, index) rows in status_entries`);
  const total = await db.query('SELECT count(*)::int AS n FROM status_entries');

  // 3. Revoke 200 through the balancer.
  const toRevoke = ok.slice(0, REVOKES);
  const revokeRun = await pool(toRevoke.length, CONCURRENCY, async (i) => {
    const r = await post(LB, '/credentials/status', { credentialId: toRevoke[i]!.id, credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }] }, key);
    if (r.status !== 200) fail(`revoke ${toRevoke[i]!.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  });
  const revokedAt = Date.now();

  // 4. Every revocation visible on BOTH replicas directly, within the list's ttl.
  const ttlMs = await listTtl(ok[0]?.entry?.url);
  const pending = new Set(toRevoke.flatMap((c) => REPLICAS.map((r) => `${r}|${c.id}`)));
  let maxVisibleMs = 0;
  let sweeps = 0;
  const pairs = pending.size;
  let firstSweep = 0;
  const notYet = new Map<string, number>();
  while (pending.size > 0 && Date.now() - revokedAt <= ttlMs) {
    sweeps++;
    const round = [...pending];
    await pool(round.length, CONCURRENCY, async (i) => {
      const keyStr = round[i];
      if (!keyStr) return;
      const [replica, id] = keyStr.split('|') as [string, string];
      const c = toRevoke.find((x) => x.id === id)!;
      const r = await post(replica, '/credentials/verify', { verifiableCredential: c.vc });
      if (r.status === 422 && JSON.stringify(r.body).includes('revoked')) {
        pending.delete(keyStr);
        if (sweeps === 1) firstSweep++;
        maxVisibleMs = Math.max(maxVisibleMs, Date.now() - revokedAt);
      } else {
        const why = `${r.status} ${r.status === 200 ? 'still valid' : JSON.stringify((r.body.results as Json[] | undefined)?.filter((x) => x.status !== 'passed').map((x) => x.code) ?? r.body).slice(0, 120)}`;
        notYet.set(why, (notYet.get(why) ?? 0) + 1);
      }
    });
    if (pending.size) await new Promise((res) => setTimeout(res, 1000));
  }
  if (pending.size) fail(`${pending.size} revocation/replica pairs not visible within the ttl (${ttlMs} ms)`);

  // 5. 1,000 verifications through the balancer: revoked ones must say revoked, the others valid.
  const revokedIds = new Set(toRevoke.map((c) => c.id));
  let valid = 0;
  let revoked = 0;
  const verifyRun = await pool(VERIFIES, CONCURRENCY, async (i) => {
    const c = ok[i % ok.length]!;
    const r = await post(LB, '/credentials/verify', { verifiableCredential: c.vc });
    if (r.via) upstreams.set(r.via, (upstreams.get(r.via) ?? 0) + 1);
    if (revokedIds.has(c.id)) {
      if (r.status === 422 && JSON.stringify(r.body).includes('revoked')) revoked++;
      else fail(`verify revoked ${c.id}: ${r.status}`);
    } else if (r.status === 200 && r.body.verified === true) valid++;
    else fail(`verify ${c.id}: ${r.status} ${JSON.stringify((r.body.results as Json[] | undefined)?.filter((x) => x.status !== 'passed') ?? r.body).slice(0, 300)}`);
  });
  await db.end();

  process.stdout.write(`\nscale test through the balancer (${REPLICAS.length} replicas, concurrency ${CONCURRENCY})\n`);
  process.stdout.write(`${line('issue', ok.length, issueRun)}\n${line('revoke', toRevoke.length, revokeRun)}\n${line('verify', VERIFIES, verifyRun)}\n`);
  process.stdout.write(`status entries in the database: ${total.rows[0].n} (duplicates: ${dup.rowCount ?? 0}); distinct in credentials: ${seen.size}\n`);
  process.stdout.write(`revocations visible on both replicas: ${firstSweep}/${pairs} (revocation × replica) at the first check, all within ${maxVisibleMs} ms of the last revocation (list ttl ${ttlMs} ms)${notYet.size ? `; not yet at a check: ${[...notYet].map(([k, v]) => `${v}× ${k}`).join(', ')}` : ''}\n`);
  process.stdout.write(`verifications: ${valid} valid, ${revoked} revoked as expected\n`);
  process.stdout.write(`requests per upstream: ${[...upstreams].map(([k, v]) => `${k}=${v}`).join(', ') || 'n/a'}\n`);
  process.stdout.write(failures.length ? `FAILED: ${failures.length} problem(s)\n` : 'OK: nothing failed\n');
  process.exit(failures.length ? 1 : 0);
}

/** The ttl (ms) a status list credential announces; fetched through the balancer. */
async function listTtl(url: string | undefined): Promise<number> {
  if (!url) return 300_000;
  const res = await fetch(url);
  const body = (await res.json()) as Json;
  const doc = typeof body.credentialSubject === 'object' ? body : JSON.parse(Buffer.from(String(body.id ?? '').split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as Json;
  return Number(doc.credentialSubject?.ttl ?? 300_000);
}

main().catch((err: unknown) => {
  process.stderr.write(`scale test failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});

import { AggregatorRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { createMetrics, mechanismOfIssueRequest, mechanismOfSubmitted, verdictOfStatus } from '../../src/metrics/index.js';

const small = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  type: ['VerifiableCredential', 'ExampleAlumniCredential'],
  credentialSubject: { id: 'did:example:abc', alumniOf: { id: 'did:example:uni', name: 'Example University' } },
};

/** Value of one sample line of the exposition text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

for (const kind of storeKinds) {
  describe(`GET /metrics [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp({ kind });
    });
    afterAll(async () => t.close());

    it('counts requests per route template, issuances and verifications by mechanism and outcome, pool and DB gauges', async () => {
      const inst = await t.createInstitution('metrics-u');
      const issued: Record<string, unknown>[] = [];
      for (const mechanism of ['eddsa-rdfc-2022', 'vc+jwt', 'eddsa-rdfc-2022']) {
        const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: small, options: { mechanism } } });
        expect(res.statusCode, res.body).toBe(201);
        issued.push(res.json().verifiableCredential);
      }
      const bad = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: { ...small, credentialSubject: {} } } });
      expect(bad.statusCode).toBe(400);
      const ok = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: issued[0] } });
      expect(ok.statusCode, ok.body).toBe(200);
      const tampered = structuredClone(issued[0]!) as { credentialSubject: { id: string } };
      tampered.credentialSubject.id = 'did:example:mallory';
      expect((await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: tampered } })).statusCode).toBe(422);
      expect((await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: issued[1] } })).statusCode).toBe(200);
      await t.app.inject({ method: 'GET', url: '/issuers/metrics-u/did.json' });
      await t.app.inject({ method: 'GET', url: '/issuers/nobody/did.json' });

      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const text = res.body;
      expect(sample(text, 'microcred_http_requests_total', { route: '/credentials/issue', method: 'POST', status: '201' })).toBe(3);
      expect(sample(text, 'microcred_http_requests_total', { route: '/credentials/issue', method: 'POST', status: '400' })).toBe(1);
      // Route templates, not raw URLs: both DID lookups land on one series per status.
      expect(sample(text, 'microcred_http_requests_total', { route: '/issuers/:slug/did.json', status: '200' })).toBe(1);
      expect(sample(text, 'microcred_http_requests_total', { route: '/issuers/:slug/did.json', status: '404' })).toBe(1);
      expect(text).not.toContain('metrics-u');
      expect(sample(text, 'microcred_http_request_duration_seconds_count', { route: '/credentials/issue', method: 'POST' })).toBe(4);
      expect(sample(text, 'microcred_issuance_total', { mechanism: 'eddsa-rdfc-2022', outcome: 'issued' })).toBe(2);
      expect(sample(text, 'microcred_issuance_total', { mechanism: 'vc+jwt', outcome: 'issued' })).toBe(1);
      expect(sample(text, 'microcred_issuance_total', { mechanism: 'eddsa-rdfc-2022', outcome: 'refused' })).toBe(1);
      expect(sample(text, 'microcred_verification_total', { mechanism: 'eddsa-rdfc-2022', outcome: 'valid' })).toBe(1);
      expect(sample(text, 'microcred_verification_total', { mechanism: 'eddsa-rdfc-2022', outcome: 'invalid' })).toBe(1);
      expect(sample(text, 'microcred_verification_total', { mechanism: 'vc+jwt', outcome: 'valid' })).toBe(1);
      expect(sample(text, 'microcred_worker_pool_size')).toBe(t.config.workerThreads);
      expect(sample(text, 'microcred_worker_pool_queue_depth')).toBe(0);
      // Every credential here is covered by the fast path: documents, proof options and the safe-mode checks.
      expect(sample(text, 'microcred_jsonld_documents', { path: 'fast' })).toBeGreaterThanOrEqual(8);
      expect(sample(text, 'microcred_jsonld_documents', { path: 'jsonld' })).toBe(0);
      expect(sample(text, 'microcred_worker_pool_tasks_completed')).toBe(0);
      if (kind === 'postgres') expect(sample(text, 'microcred_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
      else expect(text).not.toContain('microcred_db_pool_connections{');
      expect(sample(text, 'microcred_process_resident_memory_bytes')).toBeGreaterThan(0);
    });
  });
}

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { METRICS_TOKEN: 'metrics-token-0123456789', WORKER_THREADS: '0' } });
  });
  afterAll(async () => t.close());

  it('needs the token: none or wrong → 401 UNAUTHORIZED, right → 200; WORKER_THREADS=0 shows a zero-size pool', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', 'metrics-token-0123456789']) {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('UNAUTHORIZED');
    }
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(res.statusCode).toBe(200);
    expect(sample(res.body, 'microcred_worker_pool_size')).toBe(0);
  });
});

describe('GET /metrics: verdicts and requests refused before routing', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No network: every did:web resolution fails the way an unreachable host does.
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    t = await buildTestApp({ env: { WORKER_THREADS: '0' }, deps: { fetch: offline } });
  });
  afterAll(async () => t.close());

  it('counts an indeterminate verification (issuer DID unreachable) as indeterminate, not invalid', async () => {
    const inst = await t.createInstitution('metrics-ind');
    const issued = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: small } });
    expect(issued.statusCode, issued.body).toBe(201);
    const { credentialStatus: _status, ...vc } = issued.json().verifiableCredential as Record<string, unknown>;
    const elsewhere = { ...vc, issuer: 'did:web:nonexistent-host.invalid' };
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: elsewhere } });
      expect(res.statusCode).toBe(422);
      expect(res.json().verdict).toBe('indeterminate');
    }
    const tampered = { ...vc, credentialSubject: { id: 'did:example:mallory' } };
    const invalid = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: tampered } });
    expect(invalid.json().verdict).toBe('invalid');
    const presented = await t.app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], verifiableCredential: [elsewhere] } } });
    expect(presented.statusCode).toBe(422);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(text, 'microcred_verification_total', { mechanism: 'eddsa-rdfc-2022', outcome: 'indeterminate' })).toBe(2);
    expect(sample(text, 'microcred_verification_total', { mechanism: 'eddsa-rdfc-2022', outcome: 'invalid' })).toBe(1);
    // The presentation's own label follows its report's verdict too.
    expect(sample(text, 'microcred_verification_total', { mechanism: 'none', outcome: presented.json().verdict })).toBe(1);
  });

  it('counts requests Fastify refuses before routing (undecodable URL) under route="rejected"', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/%E0%A4%A' });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('MALFORMED_URL');
    }
    await t.app.inject({ method: 'POST', url: '/credentials/%E0%A4%A' });
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(text, 'microcred_http_requests_total', { route: 'rejected', method: 'GET', status: '400' })).toBe(3);
    expect(sample(text, 'microcred_http_requests_total', { route: 'rejected', method: 'POST', status: '400' })).toBe(1);
    expect(sample(text, 'microcred_http_request_duration_seconds_count', { route: 'rejected', method: 'GET' })).toBe(3);
    // The raw URL never becomes a label.
    expect(text).not.toContain('%E0');
  });
});

describe('metrics of several service processes', () => {
  it('aggregate as one service: counters and pool gauges sum, the change feed is live only if live everywhere', async () => {
    const stats = (busy: number, queued: number) => ({ size: 2, started: 2, busy, queued, completed: 10, failed: 1, shed: 3, replaced: 1 });
    const a = createMetrics({ pool: () => stats(1, 4), changeFeedLive: () => true, jsonld: () => ({ answered: 5, leftToJsonld: 1 }) });
    const b = createMetrics({ pool: () => stats(2, 0), changeFeedLive: () => false, jsonld: () => ({ answered: 7, leftToJsonld: 0 }) });
    a.request('/healthz', 'GET', 200, 0.001);
    b.request('/healthz', 'GET', 200, 0.001);
    b.request('/healthz', 'GET', 200, 0.002);
    b.verification('vc+jwt', 'indeterminate');
    const text = await AggregatorRegistry.aggregate([await a.registry.getMetricsAsJSON(), await b.registry.getMetricsAsJSON()]).metrics();
    expect(sample(text, 'microcred_http_requests_total', { route: '/healthz' })).toBe(3);
    expect(sample(text, 'microcred_http_request_duration_seconds_count', { route: '/healthz' })).toBe(3);
    expect(sample(text, 'microcred_verification_total', { outcome: 'indeterminate' })).toBe(1);
    expect(sample(text, 'microcred_worker_pool_size')).toBe(4);
    expect(sample(text, 'microcred_worker_pool_busy')).toBe(3);
    expect(sample(text, 'microcred_worker_pool_queue_depth')).toBe(4);
    expect(sample(text, 'microcred_worker_pool_tasks_shed')).toBe(6);
    expect(sample(text, 'microcred_worker_pool_workers_replaced')).toBe(2);
    expect(sample(text, 'microcred_jsonld_documents', { path: 'fast' })).toBe(12);
    expect(sample(text, 'microcred_change_feed_live')).toBe(0);
  });
});

describe('metric labels', () => {
  it('classify mechanisms and verdicts into a fixed set', () => {
    expect(mechanismOfSubmitted('eyJ.a.b')).toBe('vc+jwt');
    expect(mechanismOfSubmitted({ type: 'EnvelopedVerifiableCredential' })).toBe('vc+jwt');
    expect(mechanismOfSubmitted({ proof: { type: 'DataIntegrityProof', cryptosuite: 'ecdsa-rdfc-2019' } })).toBe('ecdsa-rdfc-2019');
    expect(mechanismOfSubmitted({ proof: [{ type: 'Ed25519Signature2020' }] })).toBe('Ed25519Signature2020');
    expect(mechanismOfSubmitted({ proof: { type: 'DataIntegrityProof', cryptosuite: 'x'.repeat(500) } })).toBe('other');
    expect(mechanismOfSubmitted({})).toBe('none');
    expect(mechanismOfSubmitted(7)).toBe('unknown');
    expect(mechanismOfIssueRequest({})).toBe('eddsa-rdfc-2022');
    expect(mechanismOfIssueRequest({ options: { mechanism: 'vc+jwt' } })).toBe('vc+jwt');
    expect(mechanismOfIssueRequest({ options: { mechanism: 'made-up' } })).toBe('other');
    expect(mechanismOfIssueRequest(undefined, { mechanism: 'ecdsa-rdfc-2019' })).toBe('ecdsa-rdfc-2019');
    expect([200, 422, 400, 413, 500].map((s) => verdictOfStatus(s))).toEqual(['valid', 'invalid', 'malformed', 'malformed', 'error']);
    expect(verdictOfStatus(422, 'indeterminate')).toBe('indeterminate');
    expect(verdictOfStatus(422, 'invalid')).toBe('invalid');
  });
});

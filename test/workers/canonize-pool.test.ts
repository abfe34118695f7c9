import jsonld from 'jsonld';
import { afterAll, describe, expect, it } from 'vitest';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { poisonSubject } from '../helpers/poison.js';
import { assertNoDroppedTerms, createDocumentLoader, expandSafe, expanderOf, loadBundledContexts, mapJsonLdError, withCanonicalizer, canonicalizerOf } from '../../src/jsonld/index.js';
import Fastify from 'fastify';
import { createCanonizePool, OverloadedError, type CanonizePool } from '../../src/workers/index.js';
import { installErrorHandlers } from '../../src/plugins/errors.js';
import { issueCredential, signDataIntegrity } from '../../src/issuing/index.js';
import { isCanonicalizationLimit } from '../../src/verifying/limits.js';
import { AppError } from '../../src/errors.js';
import { ISSUER, annexSample, makeFixture, newId, now, smallV1, smallV2, resolveFrom } from '../issuing/fixtures.js';
import { jsonLdDocuments as fixtures } from '../helpers/jsonld-documents.js';

const stockCanonize = (doc: unknown, loader: ReturnType<typeof createDocumentLoader>, extra: Record<string, unknown> = {}) => eddsaRdfc2022.canonize(structuredClone(doc), { documentLoader: loader, ...extra });

describe('canonize worker pool', async () => {
  const fx = await makeFixture();
  const pool = createCanonizePool({ size: 2, contexts: loadBundledContexts() });
  const loader = withCanonicalizer(fx.documentLoader, { canonize: pool.canonize, expand: pool.expand });
  afterAll(() => pool.close());

  for (const [name, doc, extra = {}] of fixtures()) {
    it(`byte-identical canonical N-Quads to the stock cryptosuite: ${name}`, async () => {
      const stock = await stockCanonize(doc, fx.documentLoader, extra);
      const pooled = await pool.canonize(structuredClone(doc), { documentLoader: fx.documentLoader, ...extra });
      expect(pooled.length).toBeGreaterThan(50);
      expect(pooled).toBe(stock);
      // ecdsa-rdfc-2019's canonize is the same function: same bytes.
      expect(await ecdsaRdfc2019.canonize(structuredClone(doc), { documentLoader: fx.documentLoader, ...extra })).toBe(pooled);
    });
  }

  it('expands exactly like jsonld.expand (safe mode) on every fixture', async () => {
    for (const [name, doc, extra = {}] of fixtures()) {
      const stock = await jsonld.expand(structuredClone(doc) as never, { documentLoader: fx.documentLoader, safe: true, base: null, ...extra } as never);
      expect(await pool.expand(doc, { documentLoader: fx.documentLoader, ...extra }), name).toEqual(stock);
      expect(await pool.expand(doc, { documentLoader: fx.documentLoader, discard: true, ...extra })).toBeNull();
    }
  });

  it('the offloaded safe-mode check fails exactly as the in-thread one (error name, event, mapped code)', async () => {
    expect(expanderOf(loader)).toBeTypeOf('function');
    const bads: Array<[Record<string, unknown>, string]> = [
      [{ ...smallV1(), credentialSubject: { id: 'did:example:x', notDefinedAnywhere: 1 } }, 'UNDEFINED_TERM'],
      [{ ...smallV1(), type: ['VerifiableCredential', 'NoSuchType'] }, 'UNDEFINED_TERM'],
      [{ ...smallV2(), '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.test/ctx'] }, 'CONTEXT_NOT_ALLOWED'],
      [{ ...smallV2(), '@context': ['https://www.w3.org/ns/credentials/v2', { id: 'https://ex.test/not-id' }] }, 'JSONLD_ERROR'],
    ];
    for (const [doc, code] of bads) {
      const inThread = await expandSafe(doc, fx.documentLoader).catch((e: unknown) => e) as { name?: string; details?: { code?: string; event?: { code?: string } } };
      const pooled = await expandSafe(doc, loader).catch((e: unknown) => e) as typeof inThread;
      expect(inThread, code).toBeInstanceOf(Error);
      expect(pooled.name).toBe(inThread.name);
      expect(pooled.details?.code).toBe(inThread.details?.code);
      expect(pooled.details?.event?.code).toBe(inThread.details?.event?.code);
      expect(mapJsonLdError(pooled)?.code).toBe(code);
      expect(mapJsonLdError(inThread)?.code).toBe(code);
      const viaCheck = await assertNoDroppedTerms(doc, loader).catch((e: unknown) => e);
      expect((viaCheck as AppError).code).toBe(code);
    }
    await expect(assertNoDroppedTerms(annexSample(), loader)).resolves.toBeUndefined();
  });

  it('stays identical under concurrency (many documents in flight, results matched to their tasks)', async () => {
    const docs = fixtures();
    const expected = await Promise.all(docs.map(([, d, extra]) => stockCanonize(d, fx.documentLoader, extra)));
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => pool.canonize(docs[i % docs.length]![1], { documentLoader: fx.documentLoader, ...docs[i % docs.length]![2] })));
    got.forEach((g, i) => expect(g).toBe(expected[i % docs.length]));
    expect(pool.stats()).toMatchObject({ size: 2, busy: 0, queued: 0 });
    expect(pool.stats().completed).toBeGreaterThanOrEqual(40);
  });

  it('signs with the pool: the stock library verifies, and the proof equals the in-process one', async () => {
    for (const suite of ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019'] as const) {
      const signer = suite === 'eddsa-rdfc-2022' ? fx.signers.ed25519 : fx.signers.p256;
      // vc.issue() fills a VC 1.1 issuanceDate from the wall clock: fix it so both runs sign the same document.
      const cred = { ...annexSample(), id: 'urn:uuid:6f1c2d1e-0000-4000-8000-000000000001', issuanceDate: '2025-03-01T12:00:00Z' };
      const pooled = await signDataIntegrity(cred, { suite, signer, documentLoader: loader, now });
      const plain = await signDataIntegrity(cred, { suite, signer, documentLoader: fx.documentLoader, now });
      const stockLoader = createDocumentLoader({ resolveDid: resolveFrom(fx.didDocument) });
      const cs = suite === 'eddsa-rdfc-2022' ? eddsaRdfc2022 : ecdsaRdfc2019;
      const res = await vc.verifyCredential({ credential: pooled, suite: new DataIntegrityProof({ cryptosuite: cs }), documentLoader: stockLoader });
      expect(res.verified, JSON.stringify(res.error)).toBe(true);
      const res2 = await vc.verifyCredential({ credential: plain, suite: new DataIntegrityProof({ cryptosuite: cs }), documentLoader: stockLoader });
      expect(res2.verified, JSON.stringify(res2.error)).toBe(true);
      const { proof: pp, ...pd } = pooled; const { proof: qp, ...qd } = plain;
      expect(pd).toEqual(qd);
      expect({ ...(pp as object), proofValue: 0 }).toEqual({ ...(qp as object), proofValue: 0 });
      // Ed25519 is deterministic: same canonical bytes → same signature.
      if (suite === 'eddsa-rdfc-2022') expect(pooled.proof).toEqual(plain.proof);
    }
  });

  it('refuses an undefined term with UNDEFINED_TERM, as the separate safe-mode check does', async () => {
    const bad = { ...smallV1(), credentialSubject: { id: 'did:example:x', notDefinedAnywhere: 1 } };
    const err = await issueCredential(bad, { mechanism: 'eddsa-rdfc-2022', signers: fx.signers, issuerDid: ISSUER, documentLoader: loader, now, newId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('UNDEFINED_TERM');
    const direct = await pool.canonize(bad, { documentLoader: fx.documentLoader }).catch((e: unknown) => e);
    expect(mapJsonLdError(direct)?.code).toBe('UNDEFINED_TERM');
  });

  it('passes the loader\'s own refusal through unchanged (CONTEXT_NOT_ALLOWED)', async () => {
    const doc = { ...smallV2(), '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.test/ctx'] };
    const err = await pool.canonize(doc, { documentLoader: fx.documentLoader }).catch((e: unknown) => e);
    const mapped = mapJsonLdError(err);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped?.code).toBe('CONTEXT_NOT_ALLOWED');
  });

  it('an aborted signal rejects with the message the verifier classifies as a canonicalization limit', async () => {
    const ctl = new AbortController();
    const p = pool.canonize(annexSample(), { documentLoader: fx.documentLoader, signal: ctl.signal });
    ctl.abort();
    const err = await p.catch((e: unknown) => e);
    expect(isCanonicalizationLimit(err)).toBe(true);
    const pre = await pool.canonize(annexSample(), { documentLoader: fx.documentLoader, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isCanonicalizationLimit(pre)).toBe(true);
  });

  it('attaches to a loader without changing what the loader serves', async () => {
    expect(canonicalizerOf(loader)).toBeTypeOf('function');
    expect(canonicalizerOf(fx.documentLoader)).toBeUndefined();
    const url = 'https://www.w3.org/ns/credentials/v2';
    expect((await loader(url)).document).toEqual((await fx.documentLoader(url)).document);
  });

  it('close() lets work in flight finish (shutdown with requests still running)', async () => {
    const p3 = createCanonizePool({ size: 1, contexts: loadBundledContexts() });
    const inFlight = [p3.canonize(annexSample(), { documentLoader: fx.documentLoader }), p3.canonize(smallV2(), { documentLoader: fx.documentLoader })];
    // A request between its two canonicalizations asks again just after close() began.
    const late = new Promise<string>((resolve, reject) => setTimeout(() => p3.canonize(annexSample(), { documentLoader: fx.documentLoader }).then(resolve, reject), 5));
    await p3.close();
    const results = await Promise.all([...inFlight, late]);
    expect(results.every((r) => r.length > 100)).toBe(true);
  });

  it('a closed pool refuses work with POOL_CLOSED', async () => {
    const p2 = createCanonizePool({ size: 1, contexts: loadBundledContexts() });
    await p2.canonize(smallV2(), {});
    await p2.close();
    const err = await p2.canonize(smallV2(), {}).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('POOL_CLOSED');
  });
});

describe('canonize worker pool: back-pressure and deadlines', async () => {
  const fx = await makeFixture();
  const contexts = loadBundledContexts();
  // A context only the caller's loader could serve, and it never answers: stands in for any task that never ends.
  const hanging = { ...smallV2(), '@context': ['https://www.w3.org/ns/credentials/v2', 'https://hang.test/ctx'] };
  const neverAnswers = (async (url: string) => (url === 'https://hang.test/ctx' ? new Promise(() => undefined) : fx.documentLoader(url))) as typeof fx.documentLoader;
  const pools: Array<ReturnType<typeof createCanonizePool>> = [];
  /** Until no worker is busy (a stuck one is replaced after its grace). */
  const idle = async (pool: CanonizePool) => {
    const until = Date.now() + 5_000;
    while (pool.stats().busy > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  };

  it('a worker that stops at the deadline by itself is kept: no restart for a task that honours it', { timeout: 15_000 }, async () => {
    const pool = newPool();
    const doc = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: 'did:example:i', credentialSubject: poisonSubject(24) };
    const err = await pool.canonize(doc, { documentLoader: fx.documentLoader, timeoutMs: 150, maxWorkFactor: 100 }).catch((e: unknown) => e);
    expect(isCanonicalizationLimit(err)).toBe(true);
    await idle(pool);
    expect(pool.stats()).toMatchObject({ busy: 0, replaced: 0, started: 1 });
    expect((await pool.canonize(smallV2(), { documentLoader: fx.documentLoader })).length).toBeGreaterThan(100);
    expect(pool.stats().replaced).toBe(0);
  });

  const newPool = (o: { maxQueue?: number; taskTimeoutMs?: number } = {}) => {
    const p = createCanonizePool({ size: 1, contexts, ...o });
    pools.push(p);
    return p;
  };
  afterAll(() => Promise.all(pools.map((p) => p.close(0))));

  it('a task that never finishes is rejected at its deadline and its worker replaced: the next task runs', { timeout: 15_000 }, async () => {
    const pool = newPool();
    const started = Date.now();
    const hung = pool.canonize(hanging, { documentLoader: neverAnswers, timeoutMs: 200 }).catch((e: unknown) => e);
    // Submitted while the only worker is stuck, with no deadline of its own.
    const next = pool.canonize(smallV2(), { documentLoader: fx.documentLoader });
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 1 });
    const err = await hung;
    expect(Date.now() - started).toBeLessThan(2_000);
    // Running past its deadline is the input's time bound, as the verifier classifies it.
    expect(isCanonicalizationLimit(err)).toBe(true);
    expect((await next).length).toBeGreaterThan(100);
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0, replaced: 1, completed: 1 });
  });

  it('every task has a deadline: one that brings none gets the pool default (safe-mode expansion included)', { timeout: 15_000 }, async () => {
    const pool = newPool({ taskTimeoutMs: 300 });
    const err = await pool.expand(hanging, { documentLoader: neverAnswers, discard: true }).catch((e: unknown) => e);
    expect(isCanonicalizationLimit(err)).toBe(true);
    await idle(pool);
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0, replaced: 1 });
    // The format check's expansion carries its own deadline to the pool.
    const slow = newPool({ taskTimeoutMs: 60_000 });
    const loader = withCanonicalizer(neverAnswers, { canonize: slow.canonize, expand: slow.expand });
    const started = Date.now();
    const viaCheck = await expandSafe(hanging, loader, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isCanonicalizationLimit(viaCheck)).toBe(true);
    await idle(slow);
    expect(slow.stats()).toMatchObject({ busy: 0, queued: 0, replaced: 1 });
    await expect(slow.expand(smallV2(), { documentLoader: fx.documentLoader, discard: true })).resolves.toBeNull();
  });

  it('a caller that gives up on a running task frees its worker', { timeout: 15_000 }, async () => {
    const pool = newPool();
    const ctl = new AbortController();
    const hung = pool.canonize(hanging, { documentLoader: neverAnswers, signal: ctl.signal, timeoutMs: 60_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    ctl.abort();
    expect(isCanonicalizationLimit(await hung)).toBe(true);
    // The worker gets its grace to finish by itself; stuck, it is then replaced.
    await idle(pool);
    expect(pool.stats()).toMatchObject({ busy: 0, replaced: 1 });
    expect((await pool.canonize(smallV2(), { documentLoader: fx.documentLoader })).length).toBeGreaterThan(100);
  });

  it('a full queue refuses new work at once with OVERLOADED (503), and the gauges stay exact', { timeout: 15_000 }, async () => {
    const pool = newPool({ maxQueue: 2 });
    const hung = pool.canonize(hanging, { documentLoader: neverAnswers, timeoutMs: 1_000 }).catch((e: unknown) => e);
    const waiting = [1, 2].map(() => pool.canonize(smallV2(), { documentLoader: fx.documentLoader, timeoutMs: 10_000 }));
    const started = Date.now();
    const refused = await pool.canonize(smallV2(), { documentLoader: fx.documentLoader }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(100);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toBeInstanceOf(OverloadedError);
    expect(refused).toMatchObject({ code: 'OVERLOADED', status: 503, retryAfterSeconds: 1 });
    // An AppError passes through the JSON-LD error mapping unchanged, so issuance answers 503.
    expect(mapJsonLdError(refused)?.code).toBe('OVERLOADED');
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 2, shed: 1 });
    await hung;
    const done = await Promise.all(waiting);
    expect(done.every((r) => r.length > 100)).toBe(true);
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0, shed: 1, replaced: 1 });
  });

  it('a task whose deadline passes while it waits is shed with OVERLOADED, not blamed on its input', { timeout: 15_000 }, async () => {
    const pool = newPool();
    const hung = pool.canonize(hanging, { documentLoader: neverAnswers, timeoutMs: 1_500 }).catch((e: unknown) => e);
    const waited = await pool.canonize(smallV2(), { documentLoader: fx.documentLoader, timeoutMs: 200 }).catch((e: unknown) => e);
    expect((waited as AppError).code).toBe('OVERLOADED');
    expect(isCanonicalizationLimit(waited)).toBe(false);
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 0, shed: 1 });
    // The verifier's own timeout signal, fired while queued, means the same.
    const timedOut = await pool.canonize(smallV2(), { documentLoader: fx.documentLoader, signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((timedOut as AppError).code).toBe('OVERLOADED');
    expect(pool.stats()).toMatchObject({ queued: 0, shed: 2 });
    expect(isCanonicalizationLimit(await hung)).toBe(true);
  });

  it('close() does not wait for a stuck task beyond its grace, and rejects it with POOL_CLOSED', { timeout: 15_000 }, async () => {
    const pool = createCanonizePool({ size: 1, contexts });
    const hung = pool.canonize(hanging, { documentLoader: neverAnswers, timeoutMs: 60_000 }).catch((e: unknown) => e);
    await pool.close(100);
    expect((await hung as AppError).code).toBe('POOL_CLOSED');
  });

  it('the HTTP layer answers OVERLOADED as 503 problem+json with Retry-After', async () => {
    const app = Fastify();
    installErrorHandlers(app);
    app.get('/busy', async () => {
      throw new OverloadedError('saturated');
    });
    const res = await app.inject({ method: 'GET', url: '/busy' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ code: 'OVERLOADED', status: 503 });
    await app.close();
  });
});

describe('safe-mode check past its deadline', () => {
  it('is the client\'s RESOURCE_LIMIT_EXCEEDED (400), never an internal error', async () => {
    const aborted = async () => {
      const err = new Error('Abort signal received.');
      err.name = 'AbortError';
      throw err;
    };
    const loader = withCanonicalizer(createDocumentLoader(), { canonize: aborted, expand: aborted });
    await expect(assertNoDroppedTerms(annexSample(), loader)).rejects.toMatchObject({ code: 'RESOURCE_LIMIT_EXCEEDED', status: 400 });
  });
});


import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, ISSUER, type Fixture } from '../issuing/fixtures.js';
import { signDataIntegrity } from '../../src/issuing/index.js';
import { createResolver } from '../../src/did/index.js';
import { buildListCredential, createStatusChecker, emptyBits, setBit, MIN_LIST_BITS, StatusError } from '../../src/status/index.js';
import { verifyListWith } from '../../src/status/verify-list.js';

const TTL = 60_000;
let fx: Fixture;
let server: Server;
let base = '';
const routes = new Map<string, { status?: number; body?: string; hang?: boolean; headers?: Record<string, string> }>();
const hits = new Map<string, number>();

async function signedList(path: string, purpose: string, set: number[], bitsLen = MIN_LIST_BITS, mutate?: (c: Record<string, unknown>) => void, at = new Date()): Promise<Record<string, unknown>> {
  const bits = emptyBits(bitsLen);
  for (const i of set) setBit(bits, i);
  // Valid from `at` until `at` + 2 × TTL, as the publisher builds it.
  const unsigned = buildListCredential({ url: `${base}${path}`, issuer: ISSUER, purpose, bits, ttlMs: TTL, now: at });
  const signed = await signDataIntegrity(unsigned, { suite: 'eddsa-rdfc-2022', signer: fx.signers.ed25519, documentLoader: fx.documentLoader, now: () => at });
  mutate?.(signed);
  return signed;
}

const serve = (path: string, doc: unknown) => routes.set(path, { body: JSON.stringify(doc) });
let clock = Date.now();
const checker = () =>
  createStatusChecker({
    fetch: globalThis.fetch,
    publicUrl: 'https://issuer.test',
    allowPrivateNetwork: true,
    timeoutMs: 300,
    now: () => clock,
    verifyCredential: async (credential) => {
      const r = await vc.verifyCredential({ credential, suite: [new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 })], documentLoader: fx.documentLoader });
      return { verified: r.verified === true };
    },
  });
const entry = (path: string, index: unknown, purpose = 'revocation') => ({ type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: index, statusListCredential: `${base}${path}` });
const cred = (issuer = ISSUER) => ({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer, credentialSubject: { id: 'did:example:1' } });
const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e instanceof StatusError ? e.code : String(e)));

describe('status checker against lists served on 127.0.0.1', () => {
  beforeAll(async () => {
    fx = await makeFixture();
    server = createServer((req, res) => {
      hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
      const r = routes.get(req.url!);
      if (!r) return void res.writeHead(404).end();
      if (r.hang) return; // never answers: the client must time out
      res.writeHead(r.status ?? 200, { 'content-type': 'application/vc', ...r.headers }).end(r.body ?? '');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    serve('/rev', await signedList('/rev', 'revocation', [0, 5, MIN_LIST_BITS - 1]));
    serve('/susp', await signedList('/susp', 'suspension', [9]));
    serve('/tampered', await signedList('/tampered', 'revocation', [5], MIN_LIST_BITS, (c) => {
      (c.credentialSubject as Record<string, unknown>).encodedList = buildListCredential({ url: 'x', issuer: ISSUER, purpose: 'revocation', bits: emptyBits(MIN_LIST_BITS), ttlMs: TTL, now: new Date() }).credentialSubject!['encodedList' as never];
    }));
    serve('/short', await signedList('/short', 'revocation', [], 1024));
    routes.set('/500', { status: 500, body: 'oops' });
    routes.set('/hang', { hang: true });
    routes.set('/redirect', { status: 302, headers: { location: `${base}/rev` } });
    routes.set('/huge', { body: 'x'.repeat(1024 * 1024 + 10) });
    routes.set('/notjson', { body: '<html>' });
    const bomb = `u${gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url')}`;
    serve('/bomb', { ...(await signedList('/bomb', 'revocation', [])), credentialSubject: { id: `${base}/bomb#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: bomb } });
  });
  afterAll(async () => new Promise<void>((ok) => server.close(() => ok())));

  it('index edge cases: first and last bit set, a clear bit passes, out of range and non-integers are refused with codes', async () => {
    const c = checker();
    expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', '0') })).toMatchObject({ flagged: true, code: 'CREDENTIAL_REVOKED' });
    expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', String(MIN_LIST_BITS - 1)) })).toMatchObject({ flagged: true, code: 'CREDENTIAL_REVOKED' });
    expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', '1') })).toMatchObject({ flagged: false });
    expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', String(MIN_LIST_BITS - 2)) })).toMatchObject({ flagged: false });
    expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', String(MIN_LIST_BITS)) })).toMatchObject({ flagged: true, code: 'STATUS_INDEX_OUT_OF_RANGE' });
    for (const bad of ['1.5', '-1', 'abc', '', 2.5, -3, null, '+5', ' 5', '5 ', '0x5', '1e3', '٥', 5, 0, 7]) {
      expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', bad) }), JSON.stringify(bad)).toMatchObject({ flagged: true, code: 'MALFORMED_VALUE_ERROR' });
    }
    // Any base-10 digit string is an index: leading zeros are allowed, and an index too large for any list is out of range.
    expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', '05') })).toMatchObject({ flagged: true, code: 'CREDENTIAL_REVOKED' });
    expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', '01') })).toMatchObject({ flagged: false });
    expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', '99999999999999999999') })).toMatchObject({ flagged: true, code: 'STATUS_INDEX_OUT_OF_RANGE' });
  });

  it('entries breaking the BitstringStatusListEntry MUSTs are MALFORMED_VALUE_ERROR: statusSize, statusMessage, id, statusListCredential', async () => {
    const c = checker();
    const url = `${base}/rev`;
    const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ status: `0x${i.toString(16)}`, message: `m${i}` }));
    const malformed: Array<[string, Record<string, unknown>]> = [
      ['statusSize "1"', { statusSize: '1' }],
      ['statusSize 0', { statusSize: 0 }],
      ['statusSize -1', { statusSize: -1 }],
      ['statusSize 1.5', { statusSize: 1.5 }],
      ['statusSize null', { statusSize: null }],
      ['statusSize 2 without statusMessage', { statusSize: 2 }],
      ['statusSize 2 with 2 messages', { statusSize: 2, statusMessage: messages(2) }],
      ['statusMessage of 1 with statusSize 1', { statusSize: 1, statusMessage: messages(1) }],
      ['statusMessage of 3 with statusSize 1', { statusSize: 1, statusMessage: messages(3) }],
      ['statusMessage of 1, statusSize absent (processed as 1)', { statusMessage: messages(1) }],
      ['statusMessage not an array', { statusMessage: { status: '0x0', message: 'ok' } }],
      ['statusMessage element without message', { statusMessage: [{ status: '0x0', message: 'unset' }, { status: '0x1' }] }],
      ['statusMessage element not an object', { statusMessage: [{ status: '0x0', message: 'unset' }, 'set'] }],
      ['id is the list URL', { id: url }],
      ['statusListCredential not a URL', { statusListCredential: 'not a url' }],
    ];
    for (const [label, extra] of malformed) {
      const e = { ...entry('/rev', '5'), ...extra };
      expect(await c.check({ credential: cred(), credentialStatus: e }), label).toMatchObject({ flagged: true, code: 'MALFORMED_VALUE_ERROR' });
    }
    // Conforming values are read as before.
    const conforming: Array<Record<string, unknown>> = [{ statusSize: 1 }, { statusSize: 1, statusMessage: messages(2) }, { statusMessage: messages(2) }, { id: `${url}#5` }];
    for (const extra of conforming) {
      expect(await c.check({ credential: cred(), credentialStatus: { ...entry('/rev', '5'), ...extra } }), JSON.stringify(extra)).toMatchObject({ flagged: true, code: 'CREDENTIAL_REVOKED' });
      expect(await c.check({ credential: cred(), credentialStatus: { ...entry('/rev', '1'), ...extra } }), JSON.stringify(extra)).toMatchObject({ flagged: false });
    }
    // A conforming entry wider than one bit is supported by few processors; ours reads single bits only.
    expect(await codeOf(c.check({ credential: cred(), credentialStatus: { ...entry('/rev', '5'), statusSize: 2, statusMessage: messages(4) } }))).toBe('STATUS_TYPE_UNSUPPORTED');
  });

  it('suspension bit → CREDENTIAL_SUSPENDED; purpose mismatch; foreign issuer', async () => {
    const c = checker();
    expect(await c.check({ credential: cred(), credentialStatus: entry('/susp', '9', 'suspension') })).toMatchObject({ flagged: true, code: 'CREDENTIAL_SUSPENDED' });
    expect(await c.check({ credential: cred(), credentialStatus: entry('/susp', '9', 'revocation') })).toMatchObject({ flagged: true, code: 'STATUS_PURPOSE_MISMATCH' });
    expect(await c.check({ credential: cred('did:web:someone-else.example'), credentialStatus: entry('/rev', '1') })).toMatchObject({ flagged: true, code: 'STATUS_LIST_ISSUER_MISMATCH' });
  });

  it('unreachable, slow, redirected, oversized, tampered, bombed or short lists are never passed', async () => {
    const c = checker();
    const expectations: Array<[string, string]> = [
      ['/500', 'STATUS_RETRIEVAL_ERROR'],
      ['/hang', 'STATUS_RETRIEVAL_ERROR'],
      ['/redirect', 'STATUS_RETRIEVAL_ERROR'],
      ['/huge', 'STATUS_RETRIEVAL_ERROR'],
      ['/missing', 'STATUS_RETRIEVAL_ERROR'],
      ['/notjson', 'STATUS_LIST_INVALID'],
      ['/tampered', 'STATUS_LIST_INVALID'],
      ['/bomb', 'STATUS_LIST_INVALID'],
      ['/short', 'STATUS_LIST_LENGTH_ERROR'],
    ];
    for (const [path, code] of expectations) expect(await codeOf(c.check({ credential: cred(), credentialStatus: entry(path, '1') })), path).toBe(code);
    expect(await codeOf(c.check({ credential: cred(), credentialStatus: { ...entry('/rev', '1'), type: 'StatusList2021Entry' } }))).toBe('STATUS_TYPE_UNSUPPORTED');
  });

  it('refuses http and private hosts outside test mode', async () => {
    const strict = createStatusChecker({ fetch: globalThis.fetch, publicUrl: 'https://issuer.test', verifyCredential: async () => ({ verified: true }), lookup: async () => [{ address: '10.0.0.7', family: 4 }] });
    expect(await codeOf(strict.check({ credential: cred(), credentialStatus: entry('/rev', '1') }))).toBe('STATUS_RETRIEVAL_ERROR');
    for (const url of ['https://127.0.0.1/x', 'https://localhost/x', 'https://internal.example/x']) {
      expect(await codeOf(strict.check({ credential: cred(), credentialStatus: { ...entry('/rev', '1'), statusListCredential: url } })), url).toBe('STATUS_RETRIEVAL_ERROR');
    }
  });

  it('a cached list is not used past its validUntil plus the clock skew: it is fetched again, and a failed refetch fails as uncached', async () => {
    const t0 = Date.now();
    let at = t0;
    const resolver = createResolver({ fetch: (() => Promise.reject(new Error('tests never touch the network'))) as typeof fetch, resolveOwn: async (did) => (did === ISSUER ? (fx.didDocument as never) : null) });
    const make = (clockSkewSeconds?: number) =>
      createStatusChecker({
        fetch: globalThis.fetch,
        publicUrl: 'https://issuer.test',
        allowPrivateNetwork: true,
        timeoutMs: 300,
        now: () => at,
        ...(clockSkewSeconds === undefined ? {} : { clockSkewSeconds }),
        verifyCredential: verifyListWith({ documentLoader: fx.documentLoader, resolver, now: () => new Date(at), ...(clockSkewSeconds === undefined ? {} : { clockSkewSeconds }) }),
      });
    const check = (c: ReturnType<typeof make>, index = '1') => c.check({ credential: cred(), credentialStatus: entry('/stale', index) });

    // validUntil is t0 - 290 s: inside the default 300 s skew at t0, outside it from t0 + 10 s. Its ttl is 60 s.
    serve('/stale', await signedList('/stale', 'revocation', [5], MIN_LIST_BITS, undefined, new Date(t0 - 290_000 - 2 * TTL)));
    hits.set('/stale', 0);
    const c = make();
    expect(await check(c)).toMatchObject({ flagged: false });
    at = t0 + 5_000;
    expect(await check(c)).toMatchObject({ flagged: false });
    expect(hits.get('/stale')).toBe(1);
    // The ttl has not run out, the validity period (with skew) has: fetched again, and the stale list fails.
    at = t0 + 20_000;
    expect(await codeOf(check(c))).toBe('STATUS_LIST_INVALID');
    expect(hits.get('/stale')).toBe(2);
    expect(await codeOf(check(make()))).toBe('STATUS_LIST_INVALID');
    routes.set('/stale', { status: 500, body: 'down' });
    expect(await codeOf(check(c))).toBe('STATUS_RETRIEVAL_ERROR');
    expect(await codeOf(check(make()))).toBe('STATUS_RETRIEVAL_ERROR');
    // A current list is fetched and used.
    serve('/stale', await signedList('/stale', 'revocation', [1], MIN_LIST_BITS, undefined, new Date(at)));
    expect(await check(c)).toMatchObject({ flagged: true, code: 'CREDENTIAL_REVOKED' });

    // The skew is the verifier's configured one: with none, the cache ends exactly at validUntil.
    at = t0;
    serve('/stale', await signedList('/stale', 'revocation', [5], MIN_LIST_BITS, undefined, new Date(t0 + 10_000 - 2 * TTL)));
    hits.set('/stale', 0);
    const strict = make(0);
    const lenient = make();
    expect(await check(strict)).toMatchObject({ flagged: false });
    expect(await check(lenient)).toMatchObject({ flagged: false });
    at = t0 + 10_001;
    expect(await check(lenient)).toMatchObject({ flagged: false });
    expect(hits.get('/stale')).toBe(2);
    expect(await codeOf(check(strict))).toBe('STATUS_LIST_INVALID');
    expect(hits.get('/stale')).toBe(3);
  });

  it('caches a verified list for its ttl (bounded), then fetches again', async () => {
    const c = checker();
    hits.set('/rev', 0);
    for (let i = 0; i < 3; i++) await c.check({ credential: cred(), credentialStatus: entry('/rev', '1') });
    expect(hits.get('/rev')).toBe(1);
    clock += TTL + 1;
    await c.check({ credential: cred(), credentialStatus: entry('/rev', '1') });
    expect(hits.get('/rev')).toBe(2);
  });
});

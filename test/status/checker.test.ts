import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, ISSUER, type Fixture } from '../issuing/fixtures.js';
import { signDataIntegrity } from '../../src/issuing/index.js';
import { buildListCredential, createStatusChecker, emptyBits, setBit, MIN_LIST_BITS, StatusError } from '../../src/status/index.js';

const TTL = 60_000;
let fx: Fixture;
let server: Server;
let base = '';
const routes = new Map<string, { status?: number; body?: string; hang?: boolean; headers?: Record<string, string> }>();
const hits = new Map<string, number>();

async function signedList(path: string, purpose: string, set: number[], bitsLen = MIN_LIST_BITS, mutate?: (c: Record<string, unknown>) => void): Promise<Record<string, unknown>> {
  const bits = emptyBits(bitsLen);
  for (const i of set) setBit(bits, i);
  const unsigned = buildListCredential({ url: `${base}${path}`, issuer: ISSUER, purpose, bits, ttlMs: TTL, now: new Date() });
  const signed = await signDataIntegrity(unsigned, { suite: 'eddsa-rdfc-2022', signer: fx.signers.ed25519, documentLoader: fx.documentLoader, now: () => new Date() });
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
    for (const bad of ['1.5', '-1', 'abc', '', '01', 2.5, -3, null, '99999999999999999999']) {
      expect(await c.check({ credential: cred(), credentialStatus: entry('/rev', bad) }), String(bad)).toMatchObject({ flagged: true, code: 'MALFORMED_VALUE_ERROR' });
    }
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

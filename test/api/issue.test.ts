import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { createDocumentLoader } from '../../src/jsonld/index.js';
import { publicJwkFromMultibase, algorithmOfMultibase } from '../../src/keys/index.js';
import { resolveFrom, smallV1, smallV2, annexSample } from '../issuing/fixtures.js';
import type { IssuerDidDocument } from '../../src/did/index.js';

const suites = () => [new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 }), new Ed25519Signature2020()];

for (const kind of storeKinds) {
  describe(`POST /credentials/issue [${kind}]`, () => {
    let t: TestApp;
    let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
    let other: Awaited<ReturnType<TestApp['createInstitution']>>;
    let didDoc: IssuerDidDocument;

    const issue = (credential: unknown, options?: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/credentials/issue', headers: { ...inst.auth, ...headers }, payload: { credential, ...(options ? { options } : {}) } });

    // Verify with the stock libraries, resolving only our published DID document.
    const verifyLd = (credential: unknown) =>
      // Status is the verifier's concern (tested there); here only the proof is checked.
      vc.verifyCredential({ credential, suite: suites(), documentLoader: createDocumentLoader({ resolveDid: resolveFrom(didDoc) }), checkStatus: async () => ({ verified: true }) });
    const verifyJwt = async (jwt: string) => {
      const { kid, alg } = decodeProtectedHeader(jwt);
      const vm = didDoc.verificationMethod.find((m) => m.id === kid);
      if (!vm || !alg) throw new Error('kid not in DID document');
      const key = await importJWK(await publicJwkFromMultibase(algorithmOfMultibase(vm.publicKeyMultibase), vm.publicKeyMultibase), alg);
      return compactVerify(jwt, key, { algorithms: [alg] });
    };

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      inst = await t.createInstitution('issuer-a');
      other = await t.createInstitution('issuer-b');
      didDoc = (await t.app.inject({ method: 'GET', url: '/issuers/issuer-a/did.json' })).json();
    });
    afterAll(async () => t.close());

    for (const mechanism of ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019', 'Ed25519Signature2020'] as const) {
      for (const [model, make] of [['2.0', smallV2], ['1.1', smallV1]] as const) {
        it(`${mechanism} on VC ${model}: 201, fills issuer/id/date, stock library verifies, tampering breaks it`, async () => {
          const input = make();
          const res = await issue(input, { mechanism });
          expect(res.statusCode).toBe(201);
          const cred = res.json().verifiableCredential;
          expect(cred.issuer).toBe(inst.did);
          expect(cred.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
          expect(cred[model === '2.0' ? 'validFrom' : 'issuanceDate']).toMatch(/^\d{4}-\d\d-\d\dT/);
          const proof = cred.proof;
          expect(proof.verificationMethod.startsWith(`${inst.did}#`)).toBe(true);
          const ok = await verifyLd(cred);
          expect(ok.verified, JSON.stringify(ok.error ?? ok.results)).toBe(true);
          const tampered = structuredClone(cred);
          tampered.credentialSubject.id = 'did:example:someone-else';
          expect((await verifyLd(tampered)).verified).toBe(false);
          // stored and readable by the owner only
          const read = await t.app.inject({ method: 'GET', url: `/credentials/${encodeURIComponent(cred.id)}`, headers: inst.auth });
          expect(read.statusCode).toBe(200);
          expect(read.json().verifiableCredential).toEqual(cred);
          // Stored as issued, to the byte: same key order, same text.
          expect(JSON.stringify(read.json().verifiableCredential)).toBe(JSON.stringify(cred));
          const foreign = await t.app.inject({ method: 'GET', url: `/credentials/${encodeURIComponent(cred.id)}`, headers: other.auth });
          expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'CREDENTIAL_NOT_FOUND']);
        });
      }
    }

    it('vc+jwt: 201 EnvelopedVerifiableCredential with a data: URL; jose verifies with the DID key; kid/iss are ours', async () => {
      const res = await issue(smallV2(), { mechanism: 'vc+jwt' });
      expect(res.statusCode).toBe(201);
      const env = res.json().verifiableCredential;
      expect(env.type).toBe('EnvelopedVerifiableCredential');
      expect(env.id.startsWith('data:application/vc+jwt,')).toBe(true);
      const jwt = env.id.slice('data:application/vc+jwt,'.length);
      const header = decodeProtectedHeader(jwt);
      expect(header.typ).toBe('vc+jwt');
      expect(String(header.kid).startsWith(`${inst.did}#`)).toBe(true);
      const { payload } = await verifyJwt(jwt);
      const claims = JSON.parse(new TextDecoder().decode(payload));
      expect(claims.issuer).toBe(inst.did);
      const [h, p, s] = jwt.split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims, credentialSubject: { id: 'did:example:forged' } })).toString('base64url');
      await expect(verifyJwt(`${h}.${forged}.${s}`)).rejects.toThrow();
      void p;
    });

    it('vc+jwt on a VC 1.1 credential → 400 JOSE_REQUIRES_VC2', async () => {
      const res = await issue(smallV1(), { mechanism: 'vc+jwt' });
      expect([res.statusCode, res.json().code]).toEqual([400, 'JOSE_REQUIRES_VC2']);
    });

    it('issues the official Annex I micro-credential sample with eddsa-rdfc-2022 and the proof checks', async () => {
      const sample = annexSample();
      (sample.issuer as Record<string, unknown>).id = inst.did;
      const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: sample } });
      expect(res.statusCode, res.body).toBe(201);
      const ok = await verifyLd(res.json().verifiableCredential);
      expect(ok.verified, JSON.stringify(ok.error)).toBe(true);
    });

    it.each([
      ['an issuer that is another institution', () => ({ ...smallV2(), issuer: 'did:web:issuer.test:issuers:issuer-b' }), 400, 'ISSUER_MISMATCH'],
      ['an issuer object naming another DID', () => ({ ...smallV2(), issuer: { id: 'did:example:evil', name: 'Evil' } }), 400, 'ISSUER_MISMATCH'],
      ['a context the service does not bundle', () => ({ ...smallV2(), '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.example/ctx.jsonld'] }), 400, 'CONTEXT_NOT_ALLOWED'],
      ['an inline context that is not allowed to redefine', () => ({ ...smallV1(), credentialSubject: { id: 'did:example:1', notDefinedAnywhere: 'x' } }), 400, 'UNDEFINED_TERM'],
      ['an unknown base context', () => ({ ...smallV2(), '@context': ['https://example.org/other'] }), 400, 'UNSUPPORTED_CONTEXT'],
      ['a validFrom later than its validUntil', () => ({ ...smallV2(), validFrom: '2030-01-01T00:00:00Z', validUntil: '2029-01-01T00:00:00Z' }), 400, 'INVALID_VALIDITY_PERIOD'],
      ['an issuanceDate later than its expirationDate', () => ({ ...smallV1(), issuanceDate: '2030-01-01T00:00:00Z', expirationDate: '2029-01-01T00:00:00Z' }), 400, 'INVALID_VALIDITY_PERIOD'],
    ])('refuses %s', async (_label, make, status, code) => {
      const res = await issue(make());
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect([res.statusCode, res.json().code], res.body).toEqual([status, code]);
    });

    it('refuses an inverted validity period before reserving a status entry', async () => {
      const count = async () => (await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM status_entries')).rows[0]!.n;
      const before = await count();
      for (const mechanism of ['eddsa-rdfc-2022', 'vc+jwt'] as const) {
        const res = await issue({ ...smallV2(), validFrom: '2030-01-01T00:00:00Z', validUntil: '2029-01-01T00:00:00Z' }, { mechanism, suspension: true });
        expect([res.statusCode, res.json().code], res.body).toEqual([400, 'INVALID_VALIDITY_PERIOD']);
        expect(res.json().details).toMatchObject({ validFrom: '2030-01-01T00:00:00Z', validUntil: '2029-01-01T00:00:00Z' });
      }
      expect(await count()).toBe(before);
    });

    it('refuses what vc+jwt cannot secure before reserving a status entry', async () => {
      const count = async () => (await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM status_entries')).rows[0]!.n;
      const before = await count();
      const v1 = await issue(smallV1(), { mechanism: 'vc+jwt', suspension: true });
      expect([v1.statusCode, v1.json().code], v1.body).toEqual([400, 'JOSE_REQUIRES_VC2']);
      const claim = await issue({ ...smallV2(), exp: 1 }, { mechanism: 'vc+jwt', suspension: true });
      expect([claim.statusCode, claim.json().code], claim.body).toEqual([400, 'MALFORMED_CREDENTIAL']);
      expect(await count()).toBe(before);
    });

    it('names the undefined term in the error', async () => {
      const res = await issue({ ...smallV1(), credentialSubject: { id: 'did:example:1', shoeSize: 42 } });
      expect(res.json().detail + JSON.stringify(res.json().details)).toContain('shoeSize');
    });

    it('needs an institution token: none → 401, admin → 403', async () => {
      const none = await t.app.inject({ method: 'POST', url: '/credentials/issue', payload: { credential: smallV2() } });
      expect([none.statusCode, none.json().code]).toEqual([401, 'UNAUTHORIZED']);
      const admin = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: t.admin, payload: { credential: smallV2() } });
      expect([admin.statusCode, admin.json().code]).toEqual([403, 'INSTITUTION_TOKEN_REQUIRED']);
    });

    it('is idempotent per institution: same key + body → same credential; other body → 422', async () => {
      const headers = { 'idempotency-key': 'order-42' };
      const a = await issue(smallV2(), undefined, headers);
      const b = await issue(smallV2(), undefined, headers);
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(201);
      expect(b.json()).toEqual(a.json());
      const c = await issue({ ...smallV2(), name: 'different' }, undefined, headers);
      expect([c.statusCode, c.json().code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      // another institution may use the same key for its own request
      const d = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: { ...other.auth, ...headers }, payload: { credential: smallV2() } });
      expect(d.statusCode).toBe(201);
      expect(d.json().verifiableCredential.issuer).toBe(other.did);
      const { rows } = await t.db.query<{ n: string }>("SELECT count(*)::text AS n FROM credentials WHERE institution_id = (SELECT id FROM institutions WHERE slug = 'issuer-a') AND id = $1", [a.json().verifiableCredential.id]);
      expect(rows[0]!.n).toBe('1');
    });

    it('concurrent retries with one key issue exactly one credential', async () => {
      const headers = { 'idempotency-key': 'race-1' };
      const results = await Promise.all(Array.from({ length: 5 }, () => issue(smallV2(), undefined, headers)));
      expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.json().verifiableCredential.id)).size).toBe(1);
    });

    it('refuses a re-used credential id with 409 CREDENTIAL_EXISTS', async () => {
      const id = 'urn:uuid:11111111-2222-4333-8444-555555555555';
      expect((await issue({ ...smallV2(), id })).statusCode).toBe(201);
      const again = await issue({ ...smallV2(), id });
      expect([again.statusCode, again.json().code]).toEqual([409, 'CREDENTIAL_EXISTS']);
    });

    it('never mutates or strips what the client sent', async () => {
      const input = { ...smallV2(), credentialSubject: { id: 'did:example:x', alumniOf: { id: 'did:example:y', name: 'Ü' } } };
      const res = await issue(input);
      expect(res.json().verifiableCredential.credentialSubject).toEqual(input.credentialSubject);
    });
  });
}

describe('HTTP hardening', () => {
  let t: TestApp;
  let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
  beforeAll(async () => {
    t = await buildTestApp({ env: { BODY_LIMIT: '4096' } });
    inst = await t.createInstitution('hard');
  });
  afterAll(async () => t.close());

  const post = (payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/credentials/issue', headers: { ...inst.auth, 'content-type': 'application/json', ...headers }, payload });

  it.each([
    ['malformed JSON', '{"credential": ', 400, 'MALFORMED_JSON'],
    ['__proto__ key', '{"credential": {"__proto__": {"x": 1}}}', 400, 'FORBIDDEN_PROPERTY'],
    ['too deep', `{"credential": ${'['.repeat(80)}${']'.repeat(80)}}`, 400, 'JSON_TOO_DEEP'],
    ['oversized body', JSON.stringify({ credential: { pad: 'x'.repeat(5000) } }), 413, 'PAYLOAD_TOO_LARGE'],
    ['missing credential', '{}', 400, 'INVALID_REQUEST'],
    ['unknown option', JSON.stringify({ credential: smallV2(), options: { mechanism: 'RsaSignature2018' } }), 400, 'INVALID_REQUEST'],
  ])('%s → %s %s', async (_label, payload, status, code) => {
    const res = await post(payload);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect([res.statusCode, res.json().code]).toEqual([status, code]);
    expect(res.json()).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  });

  it('unsupported media type → 415', async () => {
    const res = await post('credential=x', { 'content-type': 'text/plain' });
    expect([res.statusCode, res.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('an undecodable URL → 400 MALFORMED_URL problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/credentials/%E0%A4%A' });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect([res.statusCode, res.json().code]).toEqual([400, 'MALFORMED_URL']);
  });

  it('unknown route → 404 problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope' });
    expect([res.statusCode, res.json().code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });

  it('serves health, readiness and OpenAPI generated from the route schemas', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/credentials/issue', '/admin/institutions', '/issuers/{slug}/did.json']));
    expect(JSON.stringify(spec.paths['/credentials/issue'])).toMatch(/api\.credentials-issue/);
    expect(JSON.stringify(spec.components.schemas)).toContain('eddsa-rdfc-2022');
  });

  it('logs one line per request and never the API key, admin token or private keys', async () => {
    await post(JSON.stringify({ credential: smallV2() }));
    await t.app.inject({ method: 'GET', url: '/admin/institutions', headers: t.admin });
    await t.app.inject({ method: 'GET', url: '/credentials/x/view?token=supersecretsharetoken' });
    const all = t.logs.join('\n');
    expect(all).toContain('"msg":"request"');
    expect(all).not.toContain(inst.apiKey);
    expect(all).not.toContain(t.adminToken);
    expect(all).not.toContain('supersecretsharetoken');
    expect(all).not.toMatch(/encryptedPrivateKey|secretKeyMultibase/);
    const lines = t.logs.filter((l) => l.includes('"msg":"request"') && l.includes('/healthz'));
    expect(lines.length).toBeLessThanOrEqual(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { smallV1, smallV2 } from '../issuing/fixtures.js';

describe('POST /credentials/verify and /presentations/verify', () => {
  let t: TestApp;
  let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
  const verify = (verifiableCredential: unknown) => t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential } });

  beforeAll(async () => {
    t = await buildTestApp();
    inst = await t.createInstitution('verifiable-u');
  });
  afterAll(async () => t.close());

  for (const mechanism of ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019', 'Ed25519Signature2020', 'vc+jwt'] as const) {
    it(`a credential the service issued with ${mechanism} verifies valid (200) with every check named`, async () => {
      const input = mechanism === 'Ed25519Signature2020' ? smallV1() : smallV2();
      const issued = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: input, options: { mechanism } } });
      expect(issued.statusCode, issued.body).toBe(201);
      const res = await verify(issued.json().verifiableCredential);
      const report = res.json();
      expect(res.statusCode, JSON.stringify(report.results, null, 1)).toBe(200);
      expect(report.verdict).toBe('valid');
      const byCheck = Object.fromEntries(report.results.map((r: { check: string; status: string }) => [r.check, r.status]));
      expect(byCheck).toMatchObject({ format: 'passed', issuer: 'passed', proof: 'passed', validity: 'passed', trust: 'passed' });
      for (const r of report.results) expect(r.message, r.check).toEqual(expect.any(String));
    });
  }

  it('a tampered credential → 422 invalid with the proof check failing and its code', async () => {
    const issued = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: smallV2() } });
    const vc = issued.json().verifiableCredential;
    vc.credentialSubject.alumniOf.name = 'Another University';
    const res = await verify(vc);
    expect(res.statusCode).toBe(422);
    const proof = res.json().results.find((r: { check: string }) => r.check === 'proof');
    expect(proof).toMatchObject({ status: 'failed', code: 'PROOF_VERIFICATION_ERROR' });
  });

  it('an unreadable input → 400 with the report; a malformed request → 400 problem', async () => {
    const res = await verify('not a credential at all');
    expect(res.statusCode).toBe(400);
    expect(res.json().results[0]).toMatchObject({ check: 'format', status: 'failed', code: 'PARSING_ERROR' });
    const bad = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { credential: {} } });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('a credential of an issuer the registry does not know → 422 ISSUER_NOT_TRUSTED while the proof passes', async () => {
    // Issue, then disable the institution: the registry mirrors it as disabled.
    const other = await t.createInstitution('soon-untrusted');
    const issued = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: other.auth, payload: { credential: smallV2() } });
    await t.app.inject({ method: 'PATCH', url: '/admin/institutions/soon-untrusted', headers: t.admin, payload: { status: 'disabled' } });
    const res = await verify(issued.json().verifiableCredential);
    expect(res.statusCode).toBe(422);
    const results = Object.fromEntries(res.json().results.map((r: { check: string }) => [r.check, r]));
    expect(results.proof.status).toBe('passed');
    expect(results.trust).toMatchObject({ status: 'failed', code: 'ISSUER_NOT_TRUSTED' });
  });

  it('hands out single-use challenges', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/presentations/challenges', payload: { domain: 'employer.example' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().challenge).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('rate-limits public verification per client', async () => {
    const limited = await buildTestApp({ env: { VERIFY_RATE_LIMIT: '2' } });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: 'x' } })).statusCode);
      expect(codes).toEqual([400, 400, 429]);
      const last = await limited.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: 'x' } });
      expect(last.json().code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('rate-limits the verification page and the wallet nonce endpoint too', async () => {
    const limited = await buildTestApp({ env: { VERIFY_RATE_LIMIT: '2' } });
    try {
      const page = [];
      for (let i = 0; i < 3; i++) page.push((await limited.app.inject({ method: 'POST', url: '/web/verify', payload: { verifiableCredential: 'x' } })).statusCode);
      expect(page).toEqual([200, 200, 429]);
      const nonce = [];
      for (let i = 0; i < 3; i++) nonce.push((await limited.app.inject({ method: 'POST', url: '/issuers/nobody/nonce' })).statusCode);
      expect(nonce).toEqual([404, 404, 429]);
    } finally {
      await limited.close();
    }
  });

  it('behind a listed proxy, a client cannot choose the address it is rate-limited by', async () => {
    // app.inject connects from 127.0.0.1: the proxy. Its X-Forwarded-For entry (the last) is the client.
    const limited = await buildTestApp({ env: { VERIFY_RATE_LIMIT: '2', TRUST_PROXY: '127.0.0.1' } });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) {
        const headers = { 'x-forwarded-for': `203.0.113.${i}, 198.51.100.7` };
        codes.push((await limited.app.inject({ method: 'POST', url: '/credentials/verify', headers, payload: { verifiableCredential: 'x' } })).statusCode);
      }
      expect(codes).toEqual([400, 400, 429]);
      // Another client behind the same proxy has its own budget.
      const other = await limited.app.inject({ method: 'POST', url: '/credentials/verify', headers: { 'x-forwarded-for': '198.51.100.8' }, payload: { verifiableCredential: 'x' } });
      expect(other.statusCode).toBe(400);
    } finally {
      await limited.close();
    }
  });
});

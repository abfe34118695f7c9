import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { poisonSubject } from '../helpers/poison.js';

describe('crafted graphs are refused quickly with a code, on issue and on verify', () => {
  let t: TestApp;
  let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
  beforeAll(async () => {
    t = await buildTestApp();
    inst = await t.createInstitution('poison-u');
  });
  afterAll(async () => t.close());

  it('issuing a poison graph → 400 RESOURCE_LIMIT_EXCEEDED, not a hang or a 500', async () => {
    const credential = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: poisonSubject() };
    const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential } });
    expect([res.statusCode, res.json().code], res.body).toEqual([400, 'RESOURCE_LIMIT_EXCEEDED']);
  });

  it('verifying a poison graph under a borrowed proof → proof check failed RESOURCE_LIMIT_EXCEEDED', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: inst.auth,
      payload: { credential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:subject' } } },
    });
    const vc = ok.json().verifiableCredential;
    const res = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: { ...vc, credentialSubject: poisonSubject() } } });
    expect(res.statusCode).toBe(422);
    const proof = res.json().results.find((r: { check: string }) => r.check === 'proof');
    expect(proof, JSON.stringify(res.json().results)).toMatchObject({ status: 'failed', code: 'RESOURCE_LIMIT_EXCEEDED' });
  });
});

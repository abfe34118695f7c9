import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { smallV2 } from '../issuing/fixtures.js';

describe('key rotation', () => {
  let t: TestApp;
  let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
  const issue = async (mechanism = 'eddsa-rdfc-2022') => {
    const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: smallV2(), options: { mechanism } } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().verifiableCredential;
  };
  const verify = async (vc: unknown) => (await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: vc } })).json();
  const proofLine = (report: { results: Array<{ check: string; status: string; code?: string }> }) => report.results.find((r) => r.check === 'proof');

  beforeAll(async () => {
    t = await buildTestApp();
    inst = await t.createInstitution('rotating-u');
  });
  afterAll(async () => t.close());

  it('a credential signed before rotation still verifies after it; new ones use the new key', async () => {
    const before = await issue();
    const oldVm = before.proof.verificationMethod;
    const rot = await t.app.inject({ method: 'POST', url: '/issuers/rotating-u/keys/rotate', headers: inst.auth, payload: { algorithms: ['Ed25519'] } });
    expect(rot.statusCode, rot.body).toBe(201);
    const newKeyId = rot.json().items[0].id;
    expect(newKeyId).not.toBe(oldVm);
    const doc = (await t.app.inject({ method: 'GET', url: '/issuers/rotating-u/did.json' })).json();
    expect(doc.assertionMethod).toEqual(expect.arrayContaining([oldVm, newKeyId]));
    const after = await issue();
    expect(after.proof.verificationMethod).toBe(newKeyId);
    expect((await verify(before)).verdict).toBe('valid');
    expect((await verify(after)).verdict).toBe('valid');
    const jwt = await issue('vc+jwt');
    expect((await verify(jwt)).verdict).toBe('valid');
  });

  it('retiring a key removes it from the DID document: its credentials stop verifying', async () => {
    const keys = (await t.app.inject({ method: 'GET', url: '/issuers/rotating-u/keys', headers: inst.auth })).json().items;
    const oldEd = keys.find((k: { algorithm: string; status: string }) => k.algorithm === 'Ed25519' && k.status === 'active');
    const signedWithNew = await issue();
    // Retire the *new* key used for signedWithNew; the older one remains.
    const retire = await t.app.inject({ method: 'POST', url: '/issuers/rotating-u/keys/retire', headers: inst.auth, payload: { keyId: signedWithNew.proof.verificationMethod } });
    expect(retire.statusCode, retire.body).toBe(200);
    expect(retire.json().status).toBe('retired');
    const report = await verify(signedWithNew);
    expect(report.verdict).toBe('invalid');
    expect(proofLine(report)?.status).toBe('failed');
    void oldEd;
    const again = await t.app.inject({ method: 'POST', url: '/issuers/rotating-u/keys/retire', headers: inst.auth, payload: { keyId: signedWithNew.proof.verificationMethod } });
    expect([again.statusCode, again.json().code]).toEqual([409, 'KEY_ALREADY_RETIRED']);
  });

  it('refuses to retire the last active key of an algorithm, and keys of another institution', async () => {
    const keys = (await t.app.inject({ method: 'GET', url: '/issuers/rotating-u/keys', headers: inst.auth })).json().items;
    const p256 = keys.find((k: { algorithm: string }) => k.algorithm === 'P-256');
    const res = await t.app.inject({ method: 'POST', url: '/issuers/rotating-u/keys/retire', headers: inst.auth, payload: { keyId: p256.id } });
    expect([res.statusCode, res.json().code]).toEqual([409, 'KEY_LAST_ACTIVE']);
    const other = await t.createInstitution('other-u');
    const foreign = await t.app.inject({ method: 'POST', url: '/issuers/rotating-u/keys/rotate', headers: other.auth, payload: {} });
    expect([foreign.statusCode, foreign.json().code]).toEqual([403, 'FORBIDDEN']);
    const unknown = await t.app.inject({ method: 'POST', url: '/issuers/other-u/keys/retire', headers: other.auth, payload: { keyId: p256.id } });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'KEY_NOT_FOUND']);
  });

  it('audits rotation and retirement', async () => {
    const { rows } = await t.db.query<{ action: string }>("SELECT action FROM audit_log WHERE action IN ('key.rotated', 'key.retired')");
    expect(rows.map((r) => r.action).sort()).toEqual(['key.retired', 'key.rotated']);
  });
});

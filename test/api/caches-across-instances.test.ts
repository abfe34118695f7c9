import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTwoInstances, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { smallV2 } from '../issuing/fixtures.js';

type Issued = { id: string; proof: { verificationMethod: string } };
type Report = { verdict: string; results: Array<{ check: string; status: string; code?: string }> };

// Verification keeps the issuer's DID document, its registry entry and the status of its own
// entries in memory. Two app instances over one database (two pools and listeners on PostgreSQL,
// as replicas are): whatever one changes, the other stops serving at once (the store announces
// it), and the one that changed it never serves the old state at all.
for (const kind of storeKinds) describe(`verification caches across two app instances on one database [${kind}]`, () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;
  let inst: { slug: string; did: string; auth: { authorization: string } };

  beforeAll(async () => {
    ({ a, b, close } = await buildTwoInstances(kind));
    inst = await a.createInstitution('cache-u');
  });
  afterAll(() => close());

  const issue = async (): Promise<Issued> => {
    const res = await a.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: smallV2() } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().verifiableCredential;
  };
  const verify = async (t: TestApp, vc: unknown): Promise<Report> => (await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: vc } })).json();
  const check = (r: Report, name: string) => r.results.find((x) => x.check === name);
  /** Verifies on `t` until `done` holds; the time it took. */
  const until = async (t: TestApp, vc: unknown, done: (r: Report) => boolean): Promise<number> => {
    const t0 = performance.now();
    for (;;) {
      if (done(await verify(t, vc))) return performance.now() - t0;
      if (performance.now() - t0 > 3_000) throw new Error('the other instance still serves the old state after 3 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  /** Verify twice on both: the second time is served from memory. */
  const warm = async (vc: unknown) => {
    for (const t of [a, b, a, b]) expect((await verify(t, vc)).verdict).toBe('valid');
  };

  it('a revocation on one instance: that instance reports it at once, the other within moments', async () => {
    const vc = await issue();
    const other = await issue();
    await warm(vc);
    await warm(other);
    const res = await a.app.inject({ method: 'POST', url: '/credentials/status', headers: inst.auth, payload: { credentialId: vc.id, credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }] } });
    expect(res.json(), res.body).toMatchObject({ revoked: true });
    expect(check(await verify(a, vc), 'status')).toMatchObject({ status: 'failed', code: 'CREDENTIAL_REVOKED' });
    const ms = await until(b, vc, (r) => check(r, 'status')?.code === 'CREDENTIAL_REVOKED');
    console.log(`[${kind}] revocation on A reported by B after ${ms.toFixed(0)} ms`);
    // Only that entry was dropped: the other credential is still valid on both.
    expect((await verify(a, other)).verdict).toBe('valid');
    expect((await verify(b, other)).verdict).toBe('valid');
  });

  it('a retired key on one instance: credentials signed with it stop verifying there at once, on the other within moments', async () => {
    const vc = await issue();
    await warm(vc);
    const rotated = await a.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/keys/rotate`, headers: inst.auth, payload: { algorithms: ['Ed25519'] } });
    expect(rotated.statusCode, rotated.body).toBe(201);
    const retired = await a.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/keys/retire`, headers: inst.auth, payload: { keyId: vc.proof.verificationMethod } });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(check(await verify(a, vc), 'proof')?.status).toBe('failed');
    const ms = await until(b, vc, (r) => check(r, 'proof')?.status === 'failed');
    console.log(`[${kind}] key retired on A refused by B after ${ms.toFixed(0)} ms`);
    // New credentials are signed with the new key, by B too: its signer was dropped with the change.
    const fromB = await b.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: smallV2() } });
    expect(fromB.statusCode, fromB.body).toBe(201);
    expect(fromB.json().verifiableCredential.proof.verificationMethod).not.toBe(vc.proof.verificationMethod);
    expect((await verify(a, fromB.json().verifiableCredential)).verdict).toBe('valid');
  });

  it('an institution disabled on one instance: its issuer is no longer trusted and its API key refused, there at once, on the other within moments', async () => {
    const vc = await issue();
    await warm(vc);
    const issueOn = (t: TestApp) => t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: smallV2() } });
    expect((await issueOn(b)).statusCode).toBe(201); // B has seen the key
    const res = await a.app.inject({ method: 'PATCH', url: `/admin/institutions/${inst.slug}`, headers: a.admin, payload: { status: 'disabled' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(check(await verify(a, vc), 'trust')).toMatchObject({ status: 'failed', code: 'ISSUER_NOT_TRUSTED' });
    expect((await issueOn(a)).json()).toMatchObject({ status: 403, code: 'INSTITUTION_DISABLED' });
    const ms = await until(b, vc, (r) => check(r, 'trust')?.code === 'ISSUER_NOT_TRUSTED');
    console.log(`[${kind}] institution disabled on A untrusted by B after ${ms.toFixed(0)} ms`);
    expect((await issueOn(b)).json()).toMatchObject({ status: 403, code: 'INSTITUTION_DISABLED' });
    await a.app.inject({ method: 'PATCH', url: `/admin/institutions/${inst.slug}`, headers: a.admin, payload: { status: 'active' } });
    expect((await verify(a, vc)).verdict).toBe('valid');
    expect((await issueOn(a)).statusCode).toBe(201);
    await until(b, vc, (r) => r.verdict === 'valid');
    expect((await issueOn(b)).statusCode).toBe(201);
  });

  it('reports what the caches served on /metrics', async () => {
    const text = (await b.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('microcred_change_feed_live 1');
    for (const cache of ['did', 'apiKey', 'status', 'registry']) expect(text).toMatch(new RegExp(`microcred_cache_lookups\\{cache="${cache}",outcome="hit"\\} [1-9]`));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTwoInstances, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { smallV2 } from '../issuing/fixtures.js';
import { decodeList, getBit } from '../../src/status/index.js';

type Entry = { statusListCredential: string; statusListIndex: string };

// Two app instances over ONE database: on PostgreSQL two connection pools on one schema (replicas
// behind a load balancer); on PGlite two apps sharing the embedded store's single connection.
for (const kind of storeKinds) describe(`status lists across two app instances on one database [${kind}]`, () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;
  let auth: { authorization: string };

  beforeAll(async () => {
    ({ a, b, close } = await buildTwoInstances(kind));
    auth = (await a.createInstitution('replica-u')).auth;
  });
  afterAll(() => close());

  it('200 issuances split over both instances get distinct indexes; 100 revocations on both all end set; B serves what A changed', async () => {
    const issue = (t: TestApp) => t.app.inject({ method: 'POST', url: '/credentials/issue', headers: auth, payload: { credential: smallV2() } });
    const t0 = performance.now();
    const res = await Promise.all(Array.from({ length: 200 }, (_, i) => issue(i % 2 ? a : b)));
    const issueMs = performance.now() - t0;
    for (const r of res) expect(r.statusCode, r.body).toBe(201);
    const vcs = res.map((r) => r.json().verifiableCredential as { id: string; credentialStatus: Entry });
    expect(new Set(vcs.map((v) => `${v.credentialStatus.statusListCredential}#${v.credentialStatus.statusListIndex}`)).size).toBe(200);

    const path = new URL(vcs[0]!.credentialStatus.statusListCredential).pathname;
    const before = await b.app.inject({ method: 'GET', url: path });
    expect(before.statusCode).toBe(200);

    const t1 = performance.now();
    const revs = await Promise.all(
      vcs.slice(0, 100).map((vc, i) =>
        (i % 2 ? a : b).app.inject({ method: 'POST', url: '/credentials/status', headers: auth, payload: { credentialId: vc.id, credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }] } }),
      ),
    );
    const revokeMs = performance.now() - t1;
    for (const r of revs) expect(r.json(), r.body).toMatchObject({ revoked: true });
    console.log(`[two instances, ${kind}] 200 parallel issuances: ${issueMs.toFixed(0)} ms; 100 concurrent revocations: ${revokeMs.toFixed(0)} ms`);

    // B signed the list before the revocations; the version bump makes it re-sign at once.
    const after = await b.app.inject({ method: 'GET', url: path, headers: { 'if-none-match': String(before.headers.etag) } });
    expect(after.statusCode).toBe(200);
    const bits = decodeList(after.json().credentialSubject.encodedList);
    vcs.forEach((vc, i) => expect(getBit(bits, Number(vc.credentialStatus.statusListIndex)), `credential ${i}`).toBe(i < 100));
    // And A, which never signed it, serves the same state.
    const fromA = decodeList((await a.app.inject({ method: 'GET', url: path })).json().credentialSubject.encodedList);
    expect(Buffer.from(fromA).equals(Buffer.from(bits))).toBe(true);

    const verdict = async (t: TestApp, vc: unknown) => (await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: vc } })).json().verdict;
    expect(await verdict(b, vcs[0])).toBe('invalid');
    expect(await verdict(b, vcs[150])).toBe('valid');
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { smallV1, smallV2 } from '../issuing/fixtures.js';
import { decodeList, getBit, MIN_LIST_BITS } from '../../src/status/index.js';

type Inst = Awaited<ReturnType<TestApp['createInstitution']>>;
type Entry = { statusPurpose: string; statusListCredential: string; statusListIndex: string; type: string };

const entriesOf = (vc: Record<string, unknown>): Entry[] => {
  const s = vc.credentialStatus as Entry | Entry[];
  return Array.isArray(s) ? s : [s];
};

for (const kind of storeKinds) {
  describe(`status lists end to end [${kind}]`, () => {
    let t: TestApp;
    let inst: Inst;
    let other: Inst;

    const issue = (credential: unknown, options?: Record<string, unknown>, who: Inst = inst) =>
      t.app.inject({ method: 'POST', url: '/credentials/issue', headers: who.auth, payload: { credential, ...(options ? { options } : {}) } });
    const change = (credentialId: string, status: unknown, who: Inst = inst) =>
      t.app.inject({ method: 'POST', url: '/credentials/status', headers: who.auth, payload: { credentialId, credentialStatus: [{ type: 'BitstringStatusListEntry', status }] } });
    const verify = async (vc: unknown) => {
      const res = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: vc } });
      const report = res.json();
      return { verdict: report.verdict as string, status: report.results.find((r: { check: string }) => r.check === 'status') as { status: string; code?: string; message: string } };
    };
    const listPath = (url: string) => new URL(url).pathname;

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      inst = await t.createInstitution('status-u');
      other = await t.createInstitution('other-u', { settings: { suspensionByDefault: true } });
    });
    afterAll(async () => t.close());

    it('every mechanism gets a revocation entry; VC 1.1 gets the status context; suspension on request', async () => {
      for (const [mechanism, make] of [['eddsa-rdfc-2022', smallV2], ['ecdsa-rdfc-2019', smallV2], ['Ed25519Signature2020', smallV1], ['vc+jwt', smallV2], ['eddsa-rdfc-2022', smallV1]] as const) {
        const res = await issue(make(), { mechanism });
        expect(res.statusCode, res.body).toBe(201);
        const vc = res.json().verifiableCredential;
        const doc = mechanism === 'vc+jwt' ? JSON.parse(Buffer.from(String(vc.id).split(',')[1]!.split('.')[1]!, 'base64url').toString()) : vc;
        const entries = entriesOf(doc);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: expect.stringMatching(/^\d+$/) });
        expect(entries[0]!.statusListCredential).toMatch(/^https:\/\/issuer\.test\/status-lists\/[0-9a-f-]{36}$/);
        if (make === smallV1) expect(doc['@context']).toContain('https://www.w3.org/ns/credentials/status/v1');
        else expect(doc['@context']).not.toContain('https://www.w3.org/ns/credentials/status/v1');
      }
      const both = entriesOf((await issue(smallV2(), { suspension: true })).json().verifiableCredential);
      expect(both.map((e) => e.statusPurpose)).toEqual(['revocation', 'suspension']);
      const byDefault = entriesOf((await issue(smallV2(), undefined, other)).json().verifiableCredential);
      expect(byDefault.map((e) => e.statusPurpose)).toEqual(['revocation', 'suspension']);
      // A client-supplied credentialStatus is refused, not merged.
      const own = await issue({ ...smallV2(), credentialStatus: { type: 'BitstringStatusListEntry' } });
      expect(own.json().code).toBe('CREDENTIAL_STATUS_NOT_ALLOWED');
    });

    it('issue → valid; suspend → invalid (suspended); reinstate → valid; revoke → invalid (revoked), final', async () => {
      const vc = (await issue(smallV2(), { suspension: true })).json().verifiableCredential;
      expect((await verify(vc)).verdict).toBe('valid');
      expect((await verify(vc)).status.status).toBe('passed');

      const s = await change(vc.id, 'suspended');
      expect(s.statusCode, s.body).toBe(200);
      expect(s.json()).toMatchObject({ credentialId: vc.id, revoked: false, suspended: true });
      const suspended = await verify(vc);
      expect(suspended).toMatchObject({ verdict: 'invalid', status: { status: 'failed', code: 'CREDENTIAL_SUSPENDED' } });

      expect((await change(vc.id, 'active')).json()).toMatchObject({ revoked: false, suspended: false });
      expect((await verify(vc)).verdict).toBe('valid');

      const r = await change(vc.id, 'revoked');
      expect(r.json()).toMatchObject({ revoked: true, suspended: false });
      const revoked = await verify(vc);
      expect(revoked).toMatchObject({ verdict: 'invalid', status: { status: 'failed', code: 'CREDENTIAL_REVOKED' } });
      expect(revoked.status.message).toContain('revocation');

      for (const again of ['active', 'suspended']) {
        const res = await change(vc.id, again);
        expect(res.statusCode).toBe(409);
        expect(res.json().code).toBe('STATUS_REVOCATION_FINAL');
      }
      const unrevoke = await t.app.inject({ method: 'POST', url: '/credentials/status', headers: inst.auth, payload: { credentialId: vc.id, credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', status: false }] } });
      expect(unrevoke.json().code).toBe('STATUS_REVOCATION_FINAL');
      // Revoking twice is idempotent.
      expect((await change(vc.id, 'revoked')).statusCode).toBe(200);

      const audit = await t.app.inject({ method: 'GET', url: `/issuers/status-u/audit?limit=500`, headers: inst.auth });
      const actions = audit.json().items.filter((i: { targetId: string }) => i.targetId === vc.id).map((i: { action: string }) => i.action);
      expect(actions).toEqual(['credential.revoked', 'credential.reinstated', 'credential.suspended', 'credential.issued']);
    });

    it('statusPurpose-addressed changes touch only that purpose: revocation=false never lifts a suspension', async () => {
      const setPurpose = (credentialId: string, statusPurpose: string, status: boolean) =>
        t.app.inject({ method: 'POST', url: '/credentials/status', headers: inst.auth, payload: { credentialId, credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose, status }] } });
      const state = async (res: Awaited<ReturnType<typeof setPurpose>>) => [res.statusCode, res.statusCode === 200 ? { revoked: res.json().revoked, suspended: res.json().suspended } : res.json().code];
      const ok = (revoked: boolean, suspended: boolean | null) => [200, { revoked, suspended }];

      // Active credential: revocation=false and suspension=false are no-ops; suspension=true suspends.
      const vc = (await issue(smallV2(), { suspension: true })).json().verifiableCredential;
      expect(await state(await setPurpose(vc.id, 'revocation', false))).toEqual(ok(false, false));
      expect(await state(await setPurpose(vc.id, 'suspension', false))).toEqual(ok(false, false));
      expect(await state(await setPurpose(vc.id, 'suspension', true))).toEqual(ok(false, true));

      // Suspended, not revoked: revocation=false leaves the suspension in place (and the verdict invalid).
      expect(await state(await setPurpose(vc.id, 'revocation', false))).toEqual(ok(false, true));
      expect(await verify(vc)).toMatchObject({ verdict: 'invalid', status: { status: 'failed', code: 'CREDENTIAL_SUSPENDED' } });
      expect(await state(await setPurpose(vc.id, 'suspension', true))).toEqual(ok(false, true));
      // A status word with a statusPurpose is narrowed to that purpose too.
      const worded = (statusPurpose: string, status: string) =>
        t.app.inject({ method: 'POST', url: '/credentials/status', headers: inst.auth, payload: { credentialId: vc.id, credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose, status }] } });
      expect(await state(await worded('revocation', 'active'))).toEqual(ok(false, true));
      expect(await state(await worded('suspension', 'revoked'))).toEqual([400, 'STATUS_CHANGE_INVALID']);
      expect(await state(await worded('revocation', 'suspended'))).toEqual([400, 'STATUS_CHANGE_INVALID']);
      // suspension=false lifts it and nothing else.
      expect(await state(await setPurpose(vc.id, 'suspension', false))).toEqual(ok(false, false));
      expect((await verify(vc)).verdict).toBe('valid');

      // Suspended, then revoked: revocation=true leaves the suspension bit alone; afterwards nothing but revocation=true is accepted.
      expect(await state(await setPurpose(vc.id, 'suspension', true))).toEqual(ok(false, true));
      expect(await state(await setPurpose(vc.id, 'revocation', true))).toEqual(ok(true, true));
      for (const [purpose, status] of [['revocation', false], ['suspension', false], ['suspension', true]] as const) {
        expect(await state(await setPurpose(vc.id, purpose, status)), `${purpose}=${status}`).toEqual([409, 'STATUS_REVOCATION_FINAL']);
      }
      expect(await state(await setPurpose(vc.id, 'revocation', true))).toEqual(ok(true, true));

      // Only real changes are audited; the refused and no-op requests left no trace.
      const audit = await t.app.inject({ method: 'GET', url: `/issuers/status-u/audit?limit=500`, headers: inst.auth });
      const actions = audit.json().items.filter((i: { targetId: string }) => i.targetId === vc.id).map((i: { action: string }) => i.action);
      expect(actions).toEqual(['credential.revoked', 'credential.suspended', 'credential.reinstated', 'credential.suspended', 'credential.issued']);

      // Without a suspension entry: suspension in either direction is refused; revocation=false is a no-op.
      const plain = (await issue(smallV2())).json().verifiableCredential;
      for (const status of [true, false]) expect(await state(await setPurpose(plain.id, 'suspension', status)), `suspension=${status}`).toEqual([422, 'STATUS_PURPOSE_NOT_ALLOCATED']);
      expect(await state(await setPurpose(plain.id, 'revocation', false))).toEqual(ok(false, null));
      expect(await state(await setPurpose(plain.id, 'revocation', true))).toEqual(ok(true, null));
      expect(await state(await setPurpose(plain.id, 'revocation', false))).toEqual([409, 'STATUS_REVOCATION_FINAL']);
    });

    it('refusals: no suspension entry, another institution, unknown credential, bad bodies', async () => {
      const vc = (await issue(smallV2())).json().verifiableCredential;
      const noSusp = await change(vc.id, 'suspended');
      expect([noSusp.statusCode, noSusp.json().code]).toEqual([422, 'STATUS_PURPOSE_NOT_ALLOCATED']);
      const foreign = await change(vc.id, 'revoked', other);
      expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'CREDENTIAL_NOT_FOUND']);
      expect((await change('urn:uuid:00000000-0000-4000-8000-000000000000', 'revoked')).statusCode).toBe(404);
      const admin = await t.app.inject({ method: 'POST', url: '/credentials/status', headers: t.admin, payload: { credentialId: vc.id, credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }] } });
      expect(admin.statusCode).toBe(403);
      for (const bad of [{ type: 'StatusList2021Entry', status: 'revoked' }, { type: 'BitstringStatusListEntry', status: 'deleted' }, { type: 'BitstringStatusListEntry', status: true }]) {
        const res = await t.app.inject({ method: 'POST', url: '/credentials/status', headers: inst.auth, payload: { credentialId: vc.id, credentialStatus: [bad] } });
        expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      }
      expect((await verify(vc)).verdict).toBe('valid');
    });

    it('GET /status-lists/{id}: signed list credential with the bit set, ETag/304 and Cache-Control ≤ ttl', async () => {
      const vc = (await issue(smallV2())).json().verifiableCredential;
      const [entry] = entriesOf(vc);
      const first = await t.app.inject({ method: 'GET', url: listPath(entry!.statusListCredential) });
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toMatch(/^application\/vc/);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const maxAge = Number(/max-age=(\d+)/.exec(String(first.headers['cache-control']))![1]);
      const list = first.json();
      expect(maxAge).toBeLessThanOrEqual(list.credentialSubject.ttl / 1000);
      expect(maxAge).toBeGreaterThan(0);
      expect(list).toMatchObject({ id: entry!.statusListCredential, issuer: inst.did, type: ['VerifiableCredential', 'BitstringStatusListCredential'], credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation' } });
      expect(list.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
      expect((await verify(list)).verdict).toBe('valid');
      const bits = decodeList(list.credentialSubject.encodedList);
      expect(bits.length * 8).toBe(MIN_LIST_BITS);
      console.log(`[${kind}] signed list credential on the wire: ${first.body.length} bytes (encodedList ${list.credentialSubject.encodedList.length} chars)`);
      expect(getBit(bits, Number(entry!.statusListIndex))).toBe(false);

      const again = await t.app.inject({ method: 'GET', url: listPath(entry!.statusListCredential), headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.headers.etag).toBe(etag);
      // Unchanged list: served from the signed cache, byte for byte.
      expect((await t.app.inject({ method: 'GET', url: listPath(entry!.statusListCredential) })).body).toBe(first.body);

      await change(vc.id, 'revoked');
      const after = await t.app.inject({ method: 'GET', url: listPath(entry!.statusListCredential), headers: { 'if-none-match': etag } });
      expect(after.statusCode).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
      expect(getBit(decodeList(after.json().credentialSubject.encodedList), Number(entry!.statusListIndex))).toBe(true);

      expect((await t.app.inject({ method: 'GET', url: '/status-lists/00000000-0000-4000-8000-000000000000' })).json().code).toBe('STATUS_LIST_NOT_FOUND');
      expect((await t.app.inject({ method: 'GET', url: '/status-lists/not-a-uuid' })).statusCode).toBe(400);
    });

    it('200 credentials issued in parallel get 200 distinct indexes; 100 concurrent revocations all end set', async () => {
      const t0 = performance.now();
      const issued = await Promise.all(Array.from({ length: 200 }, () => issue(smallV2())));
      const issueMs = performance.now() - t0;
      for (const r of issued) expect(r.statusCode, r.body).toBe(201);
      const vcs = issued.map((r) => r.json().verifiableCredential);
      const keys = vcs.map((vc) => `${entriesOf(vc)[0]!.statusListCredential}#${entriesOf(vc)[0]!.statusListIndex}`);
      expect(new Set(keys).size).toBe(200);

      const victims = vcs.slice(0, 100);
      const t1 = performance.now();
      const revoked = await Promise.all(victims.map((vc) => change(vc.id, 'revoked')));
      const revokeMs = performance.now() - t1;
      for (const r of revoked) expect(r.json()).toMatchObject({ revoked: true });
      console.log(`[${kind}] 200 parallel issuances: ${issueMs.toFixed(0)} ms; 100 concurrent revocations: ${revokeMs.toFixed(0)} ms`);

      const listUrl = entriesOf(vcs[0]!)[0]!.statusListCredential;
      const bits = decodeList((await t.app.inject({ method: 'GET', url: listPath(listUrl) })).json().credentialSubject.encodedList);
      vcs.forEach((vc, i) => expect(getBit(bits, Number(entriesOf(vc)[0]!.statusListIndex)), `credential ${i}`).toBe(i < 100));
    }, 120_000);
  });
}

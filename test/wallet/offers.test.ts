import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { v2Credential } from './helpers.js';

for (const kind of storeKinds) {
  describe(`prepared credentials, batch offers and learner links [${kind}]`, () => {
    let t: TestApp;
    let a: { slug: string; auth: { authorization: string } };
    let b: { slug: string; auth: { authorization: string } };
    beforeAll(async () => {
      t = await buildTestApp({ kind });
      a = await t.createInstitution('uni-a');
      b = await t.createInstitution('uni-b');
    });
    afterAll(async () => t?.close());

    const prepare = (payload: unknown, inst = a) => t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/prepared`, headers: inst.auth, payload: payload as object });

    it('refuses prepared credentials with an id, several subjects, or for another institution', async () => {
      const withId = await prepare({ credential: { ...v2Credential(), id: 'urn:uuid:0b5b5b2a-1111-4111-8111-111111111111' } });
      expect([withId.statusCode, withId.json().code]).toEqual([400, 'PREPARED_ID_NOT_ALLOWED']);
      const many = await prepare({ credential: { ...v2Credential(), credentialSubject: [{ name: 'a' }, { name: 'b' }] } });
      expect([many.statusCode, many.json().code]).toEqual([400, 'PREPARED_SUBJECT_INVALID']);
      const foreign = await t.app.inject({ method: 'POST', url: `/issuers/${b.slug}/credentials/prepared`, headers: a.auth, payload: { credential: v2Credential() } });
      expect(foreign.statusCode).toBe(403);
      const ok = await prepare({ credential: v2Credential() });
      const otherInst = await t.app.inject({ method: 'POST', url: `/issuers/${b.slug}/credentials/${encodeURIComponent(ok.json().id)}/offers`, headers: b.auth, payload: {} });
      expect([otherInst.statusCode, otherInst.json().code]).toEqual([404, 'CREDENTIAL_NOT_FOUND']);
      const badConfig = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/credentials/${encodeURIComponent(ok.json().id)}/offers`, headers: a.auth, payload: { credential_configuration_ids: ['EuropeanDigitalCredential_ldp_vc'] } });
      expect([badConfig.statusCode, badConfig.json().code]).toEqual([400, 'UNSUPPORTED_CREDENTIAL_CONFIGURATION']);
    });

    it('a VC 1.1 credential is offered as ldp_vc only, under the configuration that advertises VC 1.1 (vc+jwt needs VC 2.0)', async () => {
      const v1 = {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
        type: ['VerifiableCredential', 'UniversityDegreeCredential'],
        credentialSubject: { degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' } },
      };
      const p = await prepare({ credential: v1 });
      const o = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/credentials/${encodeURIComponent(p.json().id)}/offers`, headers: a.auth, payload: { qr: false } });
      expect(o.json().credential_offer.credential_configuration_ids).toEqual(['VerifiableCredential_ldp_vc_v1']);
    });

    it('batch: offers for every known id, a per-id error for the rest, no QR unless asked', async () => {
      const ids = [(await prepare({ credential: v2Credential('A') })).json().id, (await prepare({ credential: v2Credential('B') })).json().id, 'urn:uuid:00000000-0000-4000-8000-000000000000'];
      const r = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/offers/batch`, headers: a.auth, payload: { credential_ids: ids } });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.offers.map((o: { credential_id: string }) => o.credential_id)).toEqual(ids.slice(0, 2));
      expect(body.offers[0].qr).toBeUndefined();
      expect(body.offers[0].tx_code).toMatch(/^\d{6}$/);
      expect(body.errors).toEqual([{ credential_id: ids[2], code: 'CREDENTIAL_NOT_FOUND', message: expect.any(String) }]);
      const empty = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/offers/batch`, headers: a.auth, payload: { credential_ids: [] } });
      expect(empty.statusCode).toBe(400);
    });

    it('learner link: once, with the signed credential (no holder binding) and a wallet offer; hashed at rest', async () => {
      const id = (await prepare({ credential: v2Credential('Learner') })).json().id;
      const created = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/credentials/${encodeURIComponent(id)}/learner-link`, headers: a.auth });
      expect(created.statusCode, created.body).toBe(201);
      const url = new URL(created.json().url);
      expect(url.pathname).toMatch(/^\/l\/[A-Za-z0-9_-]{43}$/);
      const token = url.pathname.slice(3);
      const stored = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM wallet_learner_links');
      expect(stored.rows.some((r) => r.token_hash === token)).toBe(false);
      const got = await t.app.inject({ method: 'GET', url: url.pathname });
      expect(got.statusCode, got.body).toBe(200);
      const vc = got.json().verifiableCredential;
      expect(vc.proof.cryptosuite).toBe('eddsa-rdfc-2022');
      expect(vc.credentialSubject.id).toBeUndefined();
      expect(vc.credentialSubject.name).toBe('Learner');
      expect(got.json().offer.deep_link).toMatch(/^openid-credential-offer:\/\//);
      expect(got.json().offer.tx_code).toBeUndefined();
      // The learner also gets a share link: the pre-verified page, or the file for ?credential= links.
      const share = new URL(got.json().share.url);
      expect(share.pathname).toBe(`/credentials/${encodeURIComponent(vc.id)}/view`);
      const page = await t.app.inject({ method: 'GET', url: share.pathname + share.search, headers: { accept: 'text/html' } });
      expect([page.statusCode, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
      const file = await t.app.inject({ method: 'GET', url: share.pathname + share.search, headers: { accept: 'application/json' } });
      expect(file.json().verifiableCredential).toEqual(vc);
      const forged = await t.app.inject({ method: 'GET', url: `${share.pathname}?token=${'x'.repeat(43)}`, headers: { accept: 'application/json' } });
      expect([forged.statusCode, forged.json().code]).toEqual([404, 'SHARE_LINK_INVALID']);
      const again = await t.app.inject({ method: 'GET', url: url.pathname });
      expect([again.statusCode, again.json().code]).toEqual([404, 'LEARNER_LINK_INVALID']);
      expect(t.logs.join('\n')).not.toContain(token);
    });

    it('an offer of an issued credential is audited under that credential\'s id', async () => {
      const issued = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: a.auth, payload: { credential: v2Credential('Offered') } });
      const credentialId = issued.json().verifiableCredential.id as string;
      const offer = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/credentials/${encodeURIComponent(credentialId)}/offers`, headers: a.auth, payload: { qr: false } });
      expect(offer.statusCode, offer.body).toBe(201);
      expect(offer.json().credential_id).toBe(credentialId);
      const { rows } = await t.db.query<{ detail: Record<string, unknown> }>("SELECT detail FROM audit_log WHERE action = 'offer.created' AND target_id = $1", [offer.json().offer_id]);
      expect(rows[0]!.detail).toMatchObject({ credentialId, preparedId: expect.any(String) });
      expect(rows[0]!.detail.preparedId).not.toBe(credentialId);
    });

    it('learner link for an issued credential returns it as issued', async () => {
      const issued = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: a.auth, payload: { credential: v2Credential('Issued'), options: { mechanism: 'vc+jwt' } } });
      const env = issued.json().verifiableCredential;
      const jwt = String(env.id).replace('data:application/vc+jwt,', '');
      const { rows } = await t.db.query<{ id: string }>('SELECT id FROM credentials WHERE jwt = $1', [jwt]);
      const created = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/credentials/${encodeURIComponent(rows[0]!.id)}/learner-link`, headers: a.auth });
      const got = await t.app.inject({ method: 'GET', url: new URL(created.json().url).pathname });
      expect(got.json().verifiableCredential).toBe(jwt);
      expect([...got.json().offer.credential_offer.credential_configuration_ids].sort()).toEqual(['VerifiableCredential_jwt_vc_json', 'VerifiableCredential_ldp_vc']);
    });
  });
}

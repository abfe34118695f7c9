import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';

for (const kind of storeKinds) {
  describe(`institutions admin API [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp({ kind });
    });
    afterAll(async () => t.close());

    it('creates an institution with a did:web DID, keys and a one-time API key', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/admin/institutions',
        headers: t.admin,
        payload: { slug: 'uni-a', legalName: 'Université A', country: 'BE', legalIdentifiers: { eidas: 'NTRBE-0123456789' }, homepage: 'https://uni-a.example' },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.did).toBe('did:web:issuer.test:issuers:uni-a');
      expect(body.apiKey).toMatch(/^mck_/);
      expect(JSON.stringify(body)).not.toMatch(/encryptedPrivateKey|privateKey/);

      const doc = await t.app.inject({ method: 'GET', url: '/issuers/uni-a/did.json' });
      expect(doc.statusCode).toBe(200);
      expect(doc.headers['content-type']).toMatch(/application\/did\+json/);
      const dd = doc.json();
      expect(dd.id).toBe(body.did);
      expect(dd.assertionMethod.length).toBeGreaterThanOrEqual(2);
      const types = dd.verificationMethod.map((m: { type: string }) => m.type);
      expect(types).toContain('Multikey');
      expect(doc.body).not.toMatch(/privateKey|"d":/);

      const read = await t.app.inject({ method: 'GET', url: '/admin/institutions/uni-a', headers: t.admin });
      expect(read.statusCode).toBe(200);
      expect(read.json().apiKey).toBeUndefined();
    });

    it('refuses a duplicate slug with 409 INSTITUTION_EXISTS', async () => {
      const payload = { slug: 'dup', legalName: 'Dup', country: 'FR', legalIdentifiers: { vat: 'FR123' } };
      expect((await t.app.inject({ method: 'POST', url: '/admin/institutions', headers: t.admin, payload })).statusCode).toBe(201);
      const res = await t.app.inject({ method: 'POST', url: '/admin/institutions', headers: t.admin, payload });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('INSTITUTION_EXISTS');
    });

    it.each([
      [{ slug: 'Bad Slug', legalName: 'x', country: 'BE', legalIdentifiers: { vat: '1' } }, '/slug'],
      [{ slug: 'ok', legalName: 'x', country: 'Belgium', legalIdentifiers: { vat: '1' } }, '/country'],
      [{ slug: 'ok', legalName: 'x', country: 'BE', legalIdentifiers: {} }, '/legalIdentifiers'],
      [{ slug: 'ok', legalName: 'x', country: 'BE', legalIdentifiers: { vat: '1' }, extra: true }, ''],
    ])('refuses an invalid body %# with 400 INVALID_REQUEST', async (payload, path) => {
      const res = await t.app.inject({ method: 'POST', url: '/admin/institutions', headers: t.admin, payload });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe('INVALID_REQUEST');
      expect(JSON.stringify(res.json().details.errors)).toContain(path);
    });

    it('needs the admin token: none → 401, an institution key → 403, garbage → 401', async () => {
      const inst = await t.createInstitution('uni-b');
      const none = await t.app.inject({ method: 'GET', url: '/admin/institutions' });
      expect([none.statusCode, none.json().code]).toEqual([401, 'UNAUTHORIZED']);
      const other = await t.app.inject({ method: 'GET', url: '/admin/institutions', headers: inst.auth });
      expect([other.statusCode, other.json().code]).toEqual([403, 'ADMIN_REQUIRED']);
      const bad = await t.app.inject({ method: 'GET', url: '/admin/institutions', headers: { authorization: 'Bearer not-a-real-token-at-all' } });
      expect([bad.statusCode, bad.json().code]).toEqual([401, 'INVALID_TOKEN']);
    });

    it('lists with keyset paging', async () => {
      const page1 = await t.app.inject({ method: 'GET', url: '/admin/institutions?limit=1', headers: t.admin });
      expect(page1.statusCode).toBe(200);
      const p1 = page1.json();
      expect(p1.items).toHaveLength(1);
      const page2 = await t.app.inject({ method: 'GET', url: `/admin/institutions?limit=50&after=${p1.next}`, headers: t.admin });
      expect(page2.json().items.map((i: { slug: string }) => i.slug)).not.toContain(p1.items[0].slug);
    });

    it('disables an institution: its key then gets 403 INSTITUTION_DISABLED; re-enabling restores it', async () => {
      const inst = await t.createInstitution('uni-c');
      const off = await t.app.inject({ method: 'PATCH', url: '/admin/institutions/uni-c', headers: t.admin, payload: { status: 'disabled' } });
      expect(off.json().status).toBe('disabled');
      const issue = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { name: 'x' } } } });
      expect([issue.statusCode, issue.json().code]).toEqual([403, 'INSTITUTION_DISABLED']);
      await t.app.inject({ method: 'PATCH', url: '/admin/institutions/uni-c', headers: t.admin, payload: { status: 'active' } });
      const again = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { name: 'x' } } } });
      expect(again.statusCode).toBe(201);
    });

    it('answers 404 INSTITUTION_NOT_FOUND for an unknown slug', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/issuers/nobody/did.json' });
      expect([res.statusCode, res.json().code]).toEqual([404, 'INSTITUTION_NOT_FOUND']);
    });

    it('records institution and key creation in the audit log', async () => {
      const { rows } = await t.db.query<{ action: string }>("SELECT action FROM audit_log WHERE target_id = 'uni-a' OR action = 'key.created'");
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['institution.created', 'key.created']));
    });

    it('stores private keys only encrypted', async () => {
      const { rows } = await t.db.query<{ record: Record<string, unknown> }>('SELECT record FROM institution_keys');
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        const text = JSON.stringify(r.record);
        expect(text).toContain('encryptedPrivateKey');
        expect(text).not.toMatch(/"d":|secretKey|privateKeyMultibase/);
      }
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { smallV2 } from '../issuing/fixtures.js';
import { courseSpec } from '../microcredentials/fixtures.js';

type Rec = { id: string; at: string; action: string; institutionId: string | null; actor: string; targetId: string | null };

for (const kind of storeKinds) {
  describe(`audit read API [${kind}]`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<TestApp['createInstitution']>>;
    let b: Awaited<ReturnType<TestApp['createInstitution']>>;
    const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      a = await t.createInstitution('audit-a');
      b = await t.createInstitution('audit-b');
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: a.auth, payload: { credential: smallV2() } });
        expect(res.statusCode, res.body).toBe(201);
      }
      const one = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: b.auth, payload: { credential: smallV2() } });
      await t.app.inject({ method: 'POST', url: '/credentials/status', headers: b.auth, payload: { credentialId: one.json().verifiableCredential.id, credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }] } });
    });
    afterAll(async () => t.close());

    it('an institution reads only its own records, newest first, with who/what/when/target', async () => {
      const res = await get('/issuers/audit-a/audit', a.auth);
      expect(res.statusCode).toBe(200);
      const items: Rec[] = res.json().items;
      const instId = items[0]!.institutionId;
      expect(items.every((i) => i.institutionId === instId)).toBe(true);
      expect(items.map((i) => i.action)).toEqual(['credential.issued', 'credential.issued', 'credential.issued', 'institution.created', 'key.created', 'key.created']);
      expect(items[0]).toMatchObject({ actor: `institution:${instId}`, targetId: expect.stringMatching(/^urn:uuid:/), at: expect.any(String) });
      expect(items.find((i) => i.action === 'institution.created')!.actor).toBe('admin:admin');
      const ids = items.map((i) => BigInt(i.id));
      expect([...ids].sort((x, y) => (y > x ? 1 : -1))).toEqual(ids);
      expect((await get('/issuers/audit-b/audit', a.auth)).statusCode).toBe(403);
      expect((await get('/issuers/audit-a/audit', {})).statusCode).toBe(401);
    });

    it('admin reads any institution and everything; filters by action and time; keyset paging', async () => {
      const forB = (await get('/issuers/audit-b/audit?action=credential.revoked', t.admin)).json().items as Rec[];
      expect(forB).toHaveLength(1);
      expect((await get('/issuers/nope/audit', t.admin)).json().code).toBe('INSTITUTION_NOT_FOUND');
      const all: Rec[] = (await get('/admin/audit?limit=500', t.admin)).json().items;
      expect(new Set(all.map((i) => i.institutionId)).size).toBe(2);
      expect((await get('/admin/audit?institution=audit-b&action=credential.issued', t.admin)).json().items).toHaveLength(1);
      expect((await get('/admin/audit', a.auth)).statusCode).toBe(403);

      const paged: Rec[] = [];
      let url = '/admin/audit?limit=2';
      for (let guard = 0; guard < 50; guard++) {
        const page = (await get(url, t.admin)).json() as { items: Rec[]; next: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items);
        if (!page.next) break;
        url = `/admin/audit?limit=2&before=${page.next}`;
      }
      expect(paged.map((i) => i.id)).toEqual(all.map((i) => i.id));

      const newest = new Date(all[0]!.at);
      const future = new Date(newest.getTime() + 60_000).toISOString();
      expect((await get(`/admin/audit?from=${encodeURIComponent(future)}`, t.admin)).json().items).toHaveLength(0);
      expect((await get(`/admin/audit?to=${encodeURIComponent(future)}&limit=500`, t.admin)).json().items).toHaveLength(all.length);
      for (const bad of ['limit=0', 'limit=501', 'from=yesterday', 'before=abc', 'action=DROP%20TABLE', 'unknown=1']) {
        expect((await get(`/admin/audit?${bad}`, t.admin)).statusCode, bad).toBe(400);
      }
    });

    it('records cannot be altered: no write route, and the table refuses UPDATE and DELETE', async () => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        expect((await t.app.inject({ method, url: '/issuers/audit-a/audit', headers: a.auth, payload: {} })).statusCode, method).toBe(404);
        expect((await t.app.inject({ method, url: '/admin/audit', headers: t.admin, payload: {} })).statusCode, method).toBe(404);
      }
      await expect(t.db.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
      await expect(t.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });

    it('a template or batch whose audit record cannot be written is not stored either', async () => {
      // The audit log refuses these two actions for a moment, as a failing insert would.
      await t.db.query(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$`);
      await t.db.query(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action IN ('template.created', 'batch.created')) EXECUTE FUNCTION refuse_audit()`);
      const c = await t.createInstitution('audit-c');
      const count = async (table: string) => Number((await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
      try {
        const templates = await count('mc_templates');
        const tpl = await t.app.inject({ method: 'POST', url: '/issuers/audit-c/templates', headers: c.auth, payload: { name: 'Course', spec: courseSpec } });
        expect(tpl.statusCode).toBe(500);
        expect(await count('mc_templates')).toBe(templates);
        await t.db.query("DROP TRIGGER refuse_audit ON audit_log");
        await t.db.query(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = 'batch.created') EXECUTE FUNCTION refuse_audit()`);
        const templateId = (await t.app.inject({ method: 'POST', url: '/issuers/audit-c/templates', headers: c.auth, payload: { name: 'Course', spec: courseSpec } })).json().id;
        const batches = await count('mc_batches');
        const credentials = await count('credentials');
        for (const payload of [{ templateId, rows: [{ learner: { givenName: 'Ana', familyName: 'Andromeda' } }] }]) {
          const res = await t.app.inject({ method: 'POST', url: '/issuers/audit-c/batches', headers: c.auth, payload });
          expect(res.statusCode, res.body).toBe(500);
        }
        const csv = await t.app.inject({ method: 'POST', url: `/issuers/audit-c/batches?templateId=${templateId}`, headers: { ...c.auth, 'content-type': 'text/csv' }, payload: 'given_name,family_name\nAna,Andromeda\n' });
        expect(csv.statusCode, csv.body).toBe(500);
        await new Promise((r) => setTimeout(r, 300)); // a runner would have picked a stored batch up by now
        expect(await count('mc_batches')).toBe(batches);
        expect(await count('credentials')).toBe(credentials);
      } finally {
        await t.db.query('DROP TRIGGER IF EXISTS refuse_audit ON audit_log');
        await t.db.query('DROP FUNCTION IF EXISTS refuse_audit()');
      }
    });
  });
}

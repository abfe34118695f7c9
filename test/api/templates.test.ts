import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { courseSpec } from '../microcredentials/fixtures.js';

for (const kind of storeKinds) {
  describe(`/issuers/{slug}/templates [${kind}]`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<TestApp['createInstitution']>>;
    let b: Awaited<ReturnType<TestApp['createInstitution']>>;
    const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, auth: { authorization: string }, payload?: object) =>
      t.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      a = await t.createInstitution('tpl-a');
      b = await t.createInstitution('tpl-b');
    });
    afterAll(async () => t.close());

    it('create → read → list → update (version bump, stale version 409) → delete → 404', async () => {
      const created = await req('POST', '/issuers/tpl-a/templates', a.auth, { name: 'Data literacy', spec: courseSpec });
      expect(created.statusCode, created.body).toBe(201);
      const tpl = created.json();
      expect(tpl).toMatchObject({ name: 'Data literacy', spec: courseSpec, version: 1 });
      expect(created.headers.location).toBe(`/issuers/tpl-a/templates/${tpl.id}`);
      expect((await req('GET', `/issuers/tpl-a/templates/${tpl.id}`, a.auth)).json()).toEqual(tpl);
      await req('POST', '/issuers/tpl-a/templates', a.auth, { name: 'Second', spec: { title: 'Only a title' } });
      const list = (await req('GET', '/issuers/tpl-a/templates?limit=1', a.auth)).json();
      expect(list.items.map((i: { id: string }) => i.id)).toEqual([tpl.id]);
      const page2 = (await req('GET', `/issuers/tpl-a/templates?after=${list.next}`, a.auth)).json();
      expect(page2.items.map((i: { name: string }) => i.name)).toEqual(['Second']);
      const updated = await req('PUT', `/issuers/tpl-a/templates/${tpl.id}`, a.auth, { name: 'Data literacy v2', spec: { ...courseSpec, eqfLevel: 6 }, version: 1 });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.json()).toMatchObject({ version: 2, name: 'Data literacy v2', spec: { eqfLevel: 6 } });
      const stale = await req('PUT', `/issuers/tpl-a/templates/${tpl.id}`, a.auth, { name: 'x', spec: courseSpec, version: 1 });
      expect([stale.statusCode, stale.json().code]).toEqual([409, 'TEMPLATE_VERSION_CONFLICT']);
      expect((await req('DELETE', `/issuers/tpl-a/templates/${tpl.id}`, a.auth)).statusCode).toBe(204);
      const gone = await req('GET', `/issuers/tpl-a/templates/${tpl.id}`, a.auth);
      expect([gone.statusCode, gone.json().code]).toEqual([404, 'TEMPLATE_NOT_FOUND']);
      const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [tpl.id]);
      expect(audit.rows.map((r) => r.action)).toEqual(['template.created', 'template.updated', 'template.deleted']);
    });

    it('isolation: another institution gets 403 on the slug and 404 on the id under its own slug', async () => {
      const tpl = (await req('POST', '/issuers/tpl-a/templates', a.auth, { name: 'Private', spec: courseSpec })).json();
      for (const [method, payload] of [['GET', undefined], ['PUT', { name: 'x', spec: courseSpec }], ['DELETE', undefined]] as const) {
        const onSlug = await req(method, `/issuers/tpl-a/templates/${tpl.id}`, b.auth, payload);
        expect(onSlug.statusCode).toBe(403);
        const onOwn = await req(method, `/issuers/tpl-b/templates/${tpl.id}`, b.auth, payload);
        expect([onOwn.statusCode, onOwn.json().code]).toEqual([404, 'TEMPLATE_NOT_FOUND']);
      }
      expect((await req('GET', '/issuers/tpl-b/templates', b.auth)).json().items).toEqual([]);
      expect((await req('POST', '/issuers/tpl-a/templates', b.auth, { name: 'x', spec: courseSpec })).statusCode).toBe(403);
      expect((await req('GET', `/issuers/tpl-a/templates/${tpl.id}`, a.auth)).json().version).toBe(1);
      expect((await req('GET', '/issuers/tpl-b/templates/not-a-uuid', b.auth)).json().code).toBe('TEMPLATE_NOT_FOUND');
    });

    const refusals: [string, Record<string, unknown>, number, string][] = [
      ['learner in a template', { ...courseSpec, learner: { givenName: 'A', familyName: 'B' } }, 400, 'TEMPLATE_INVALID'],
      ['schema error', { ...courseSpec, eqfLevel: 12 }, 400, 'INVALID_REQUEST'],
      ['unknown property', { ...courseSpec, colour: 'blue' }, 400, 'INVALID_REQUEST'],
      ['unknown vocabulary code', { ...courseSpec, participation: { mode: 'hologram' } }, 400, 'UNKNOWN_VOCABULARY_CODE'],
      ['unknown accreditation', { ...courseSpec, qualityAssurance: { accreditationId: 'nope' } }, 422, 'ACCREDITATION_NOT_FOUND'],
    ];
    for (const [name, spec, status, code] of refusals) {
      it(`refuses a template with ${name} → ${status} ${code}`, async () => {
        const res = await req('POST', '/issuers/tpl-a/templates', a.auth, { name: 'bad', spec });
        expect([res.statusCode, res.json().code]).toEqual([status, code]);
      });
    }

    it('a template need not be Annex I complete, but a request merged with it must be', async () => {
      const tpl = (await req('POST', '/issuers/tpl-a/templates', a.auth, { name: 'Partial', spec: { title: 'Partial course', eqfLevel: 4 } })).json();
      const res = await req('POST', '/issuers/tpl-a/micro-credentials', a.auth, { templateId: tpl.id, learner: { givenName: 'A', familyName: 'B' }, workload: { hours: 10 } });
      expect([res.statusCode, res.json().code]).toEqual([422, 'MICROCREDENTIAL_INCOMPLETE']);
      expect(res.json().details.missing).toEqual(['learningOutcomes', 'assessmentType', 'participation', 'qualityAssurance']);
    });
  });
}

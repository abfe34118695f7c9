import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildTestApp as buildWith, type TestApp } from '../helpers/app.js';
import { openTestDb, storeKinds } from '../helpers/stores.js';
import { ACCREDITATION_ID, AGENT_URI, qdr } from '../trust/trust-fixtures.js';

const TRUST_LIST = fileURLToPath(new URL('../fixtures/trust/trust-list.json', import.meta.url));

for (const kind of storeKinds) {
  describe(`registry admin and public API (${kind})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp({ kind });
    });
    afterAll(async () => t.close());

    const auditActions = async (targetId: string) =>
      (await t.db.query<{ action: string; actor: string }>('SELECT action, actor FROM audit_log WHERE target_id = $1 ORDER BY id', [targetId])).rows;

    it('creates (201), merges (200), disables and trusts an organisation, each audited', async () => {
      const payload = { kind: 'qa-agency', legalName: 'Agency One', country: 'IE', dids: ['did:web:agency-one.test'], legalIdentifiers: { national: 'IE-A1' } };
      const created = await t.app.inject({ method: 'POST', url: '/admin/registry/organisations', headers: t.admin, payload });
      expect(created.statusCode, created.body).toBe(201);
      const org = created.json<{ id: string }>();
      expect(org).toMatchObject({ kind: 'qa-agency', legalName: 'Agency One', country: 'IE', trusted: false, status: 'active' });
      expect(created.headers.location).toBe(`/registry/organisations/${org.id}`);

      const merged = await t.app.inject({ method: 'POST', url: '/admin/registry/organisations', headers: t.admin, payload: { kind: 'qa-agency', legalName: 'Agency One Ltd', legalIdentifiers: { national: 'IE-A1' }, uris: ['https://agency-one.test'] } });
      expect(merged.statusCode).toBe(200);
      expect(merged.json()).toMatchObject({ id: org.id, legalName: 'Agency One Ltd', dids: ['did:web:agency-one.test'], uris: ['https://agency-one.test'] });

      const anchorsBefore = await t.app.inject({ method: 'GET', url: '/registry/trust-anchors' });
      expect(anchorsBefore.json<{ items: unknown[] }>().items).toEqual([]);
      const trust = await t.app.inject({ method: 'PUT', url: `/admin/registry/organisations/${org.id}/trust`, headers: t.admin, payload: { trusted: true } });
      expect(trust.json()).toMatchObject({ trusted: true, trustSource: 'admin' });
      const anchors = await t.app.inject({ method: 'GET', url: '/registry/trust-anchors' });
      expect(anchors.headers['cache-control']).toMatch(/public/);
      expect(anchors.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).toEqual([org.id]);

      const disabled = await t.app.inject({ method: 'PATCH', url: `/admin/registry/organisations/${org.id}`, headers: t.admin, payload: { status: 'disabled' } });
      expect(disabled.json()).toMatchObject({ status: 'disabled' });
      const untrust = await t.app.inject({ method: 'PUT', url: `/admin/registry/organisations/${org.id}/trust`, headers: t.admin, payload: { trusted: false } });
      expect(untrust.json()).toMatchObject({ trusted: false, trustSource: null });

      expect(await auditActions(org.id)).toEqual([
        { action: 'registry.organisation.upserted', actor: 'admin:admin' },
        { action: 'registry.organisation.upserted', actor: 'admin:admin' },
        { action: 'registry.trust.changed', actor: 'admin:admin' },
        { action: 'registry.organisation.upserted', actor: 'admin:admin' },
        { action: 'registry.trust.changed', actor: 'admin:admin' },
      ]);

      const byId = await t.app.inject({ method: 'GET', url: `/registry/organisations/${org.id}` });
      expect(byId.statusCode).toBe(200);
      expect(byId.headers['cache-control']).toBe('public, max-age=60');
      const byDid = await t.app.inject({ method: 'GET', url: '/registry/organisations?did=did:web:agency-one.test' });
      expect(byDid.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).toEqual([org.id]);
      const byUri = await t.app.inject({ method: 'GET', url: `/registry/organisations?uri=${encodeURIComponent('https://agency-one.test')}` });
      expect(byUri.json<{ items: unknown[] }>().items).toHaveLength(1);
    });

    it('imports a QDR accreditation (201, then 200), readable by encoded path and by ?id=, without granting trust', async () => {
      const first = await t.app.inject({ method: 'POST', url: '/admin/registry/accreditations', headers: t.admin, payload: qdr('eqf') });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ id: ACCREDITATION_ID, source: 'qdr', limits: { eqfLevels: ['http://data.europa.eu/snb/eqf/6'] }, accreditationCredential: null });
      const again = await t.app.inject({ method: 'POST', url: '/admin/registry/accreditations', headers: t.admin, payload: qdr('expired') });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ expiryDate: '2020-06-08T13:49:07.000Z' });
      const byPath = await t.app.inject({ method: 'GET', url: `/registry/accreditations/${encodeURIComponent(ACCREDITATION_ID)}` });
      expect(byPath.statusCode).toBe(200);
      expect(byPath.json()).toMatchObject({ id: ACCREDITATION_ID, accreditingAgent: { id: AGENT_URI } });
      const byQuery = await t.app.inject({ method: 'GET', url: `/registry/accreditations?id=${encodeURIComponent(ACCREDITATION_ID)}` });
      expect(byQuery.json()).toEqual(byPath.json());
      const agentId = (byPath.json<{ accreditingAgent: { registryId: string } }>()).accreditingAgent.registryId;
      const agent = await t.app.inject({ method: 'GET', url: `/registry/organisations/${agentId}` });
      expect(agent.json()).toMatchObject({ kind: 'qa-agency', trusted: false, source: 'qdr' });
      expect((await auditActions(ACCREDITATION_ID)).map((a) => a.action)).toEqual(['registry.accreditation.imported', 'registry.accreditation.imported']);
    });

    const bad: Array<[string, Record<string, unknown>, number, string]> = [
      ['organisation without identifiers', { method: 'POST', url: '/admin/registry/organisations', payload: { kind: 'institution', legalName: 'Nameless' } }, 400, 'ORGANISATION_IDENTIFIER_REQUIRED'],
      ['organisation with an unknown kind', { method: 'POST', url: '/admin/registry/organisations', payload: { kind: 'bank', legalName: 'X', dids: ['did:web:x.test'] } }, 400, 'INVALID_REQUEST'],
      ['organisation with an extra property', { method: 'POST', url: '/admin/registry/organisations', payload: { kind: 'institution', legalName: 'X', dids: ['did:web:x.test'], evil: 1 } }, 400, 'INVALID_REQUEST'],
      ['status of a missing organisation', { method: 'PATCH', url: '/admin/registry/organisations/00000000-0000-4000-8000-000000000000', payload: { status: 'disabled' } }, 404, 'REGISTRY_ORGANISATION_NOT_FOUND'],
      ['trust of a missing organisation', { method: 'PUT', url: '/admin/registry/organisations/00000000-0000-4000-8000-000000000000/trust', payload: { trusted: true } }, 404, 'REGISTRY_ORGANISATION_NOT_FOUND'],
      ['trust without a boolean', { method: 'PUT', url: '/admin/registry/organisations/00000000-0000-4000-8000-000000000000/trust', payload: { trusted: 'yes' } }, 400, 'INVALID_REQUEST'],
      ['accreditation without an agent', { method: 'POST', url: '/admin/registry/accreditations', payload: { id: 'urn:x:acc', type: 'Accreditation' } }, 400, 'ACCREDITATION_RECORD_INVALID'],
      ['accreditation that is another node type', { method: 'POST', url: '/admin/registry/accreditations', payload: { id: 'urn:x:acc', type: 'Organisation', accreditingAgent: { id: 'urn:x:a' } } }, 400, 'ACCREDITATION_RECORD_INVALID'],
    ];
    for (const [name, req, status, code] of bad) {
      it(`refuses ${name} → ${status} ${code}`, async () => {
        const res = await t.app.inject({ ...(req as object), headers: t.admin } as never);
        expect(res.statusCode, res.body).toBe(status);
        expect(res.json()).toMatchObject({ code });
      });
    }

    it('public reads: unknown ids 404, bad ids 400, a lookup without a key 400', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/registry/organisations/00000000-0000-4000-8000-000000000000' })).json()).toMatchObject({ code: 'REGISTRY_ORGANISATION_NOT_FOUND' });
      expect((await t.app.inject({ method: 'GET', url: '/registry/organisations/not-a-uuid' })).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: '/registry/organisations' })).json()).toMatchObject({ code: 'REGISTRY_QUERY_REQUIRED' });
      expect((await t.app.inject({ method: 'GET', url: `/registry/accreditations/${encodeURIComponent('urn:nope')}` })).statusCode).toBe(404);
    });

    it('admin endpoints need the admin token', async () => {
      const inst = await t.createInstitution('plain-uni');
      const cases = [
        { method: 'POST', url: '/admin/registry/organisations', payload: { kind: 'institution', legalName: 'X', dids: ['did:web:y.test'] } },
        { method: 'POST', url: '/admin/registry/accreditations', payload: qdr('eqf') },
        { method: 'PUT', url: '/admin/registry/organisations/00000000-0000-4000-8000-000000000000/trust', payload: { trusted: true } },
      ] as const;
      for (const c of cases) {
        expect((await t.app.inject({ ...c })).statusCode).toBe(401);
        const res = await t.app.inject({ ...c, headers: inst.auth });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ code: 'ADMIN_REQUIRED' });
      }
    });
  });
}

describe('trust list at start', () => {
  it('TRUST_LIST_FILE loads the anchors before the first request', { timeout: 120_000 }, async () => {
    const t = await buildTestApp({ env: { TRUST_LIST_FILE: TRUST_LIST } });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/registry/trust-anchors' });
      const names = res.json<{ items: Array<{ legalName: string; trustSource: string }> }>().items;
      expect(names.map((n) => n.legalName).sort()).toEqual([
        'National Organisation for the Certification of Qualifications and Vocational Guidance (EOPPEP)', 'Quality and Qualifications Ireland',
      ]);
      expect(names.every((n) => n.trustSource === 'trust-list')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('a bad trust list stops start-up with an error naming the file', { timeout: 120_000 }, async () => {
    const db = await openTestDb('pglite');
    const buildTestApp = (o: { env: Record<string, string> }) => buildWith({ ...o, db });
    const dir = mkdtempSync(join(tmpdir(), 'microcred-tl-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"name": "x", "version": "1"');
    await expect(buildTestApp({ env: { TRUST_LIST_FILE: broken } })).rejects.toThrow(broken);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ name: 'x', version: '1', issued: '2025-01-01T00:00:00Z', qaAgencies: [{ legalName: 'No country' }] }));
    await expect(buildTestApp({ env: { TRUST_LIST_FILE: invalid } })).rejects.toMatchObject({ code: 'TRUST_LIST_INVALID', message: expect.stringContaining(invalid) });
    await expect(buildTestApp({ env: { TRUST_LIST_FILE: join(dir, 'missing.json') } })).rejects.toThrow(join(dir, 'missing.json'));
    await db.close();
  });
});

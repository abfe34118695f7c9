import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { institutionOf, issueAccredited, organisationByDid, setTrust, verifyOverHttp } from '../trust/http-helpers.js';

const ACC_ID = 'urn:epass:accreditation:chain-test-1';

function accreditationNode(agentDid: string, orgDid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ACC_ID,
    type: 'Accreditation',
    title: { en: 'Institutional accreditation for EQF 6 programmes' },
    dcType: { id: 'http://data.europa.eu/snb/accreditation/003293d2ce', type: 'Concept' },
    accreditingAgent: { id: agentDid, type: 'Organisation', legalName: { en: 'qa-agency University' } },
    organisation: { id: orgDid, type: 'Organisation', legalName: { en: 'uni-b University' } },
    dateIssued: '2024-01-01T00:00:00Z',
    expiryDate: '2040-01-01T00:00:00Z',
    limitEQFLevel: [{ id: 'http://data.europa.eu/snb/eqf/6', type: 'Concept' }],
    ...extra,
  };
}

for (const kind of storeKinds) {
  describe(`accreditation credentials issued by the service (${kind})`, () => {
    let t: TestApp;
    let qa: Awaited<ReturnType<TestApp['createInstitution']>>;
    let uni: Awaited<ReturnType<TestApp['createInstitution']>>;
    let qaOrgId: string;

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      // Its credentials carry a suspension entry besides the revocation entry.
      qa = await t.createInstitution('qa-agency', { settings: { suspensionByDefault: true } });
      uni = await t.createInstitution('uni-b');
      qaOrgId = (await organisationByDid(t, qa.did)).id;
    });
    afterAll(async () => t.close());

    const issueAccreditation = (payload: unknown, auth = qa.auth, slug = 'qa-agency') =>
      t.app.inject({ method: 'POST', url: `/issuers/${slug}/accreditations`, headers: auth, payload: payload as object });

    it('refuses while the agency is not trusted (nothing signed) and when the agent is another organisation', async () => {
      const untrusted = await issueAccreditation(accreditationNode(qa.did, uni.did));
      expect(untrusted.statusCode).toBe(422);
      expect(untrusted.json()).toMatchObject({ code: 'ACCREDITATION_CREDENTIAL_UNTRUSTED' });
      const notFound = await t.app.inject({ method: 'GET', url: `/registry/accreditations?id=${encodeURIComponent(ACC_ID)}` });
      expect(notFound.statusCode).toBe(404);
      expect(notFound.json()).toMatchObject({ code: 'REGISTRY_ACCREDITATION_NOT_FOUND' });
      await setTrust(t, qaOrgId, true);
      const mismatch = await issueAccreditation(accreditationNode('did:web:other-agency.test', uni.did));
      expect(mismatch.statusCode).toBe(422);
      expect(mismatch.json()).toMatchObject({ code: 'ACCREDITING_AGENT_MISMATCH' });
      const wrongToken = await issueAccreditation(accreditationNode(qa.did, uni.did), uni.auth);
      expect(wrongToken.statusCode).toBe(403);
      const malformed = await issueAccreditation({ type: 'Accreditation' });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ code: 'ACCREDITATION_RECORD_INVALID' });
    });

    it('trusted QA agency → accreditation credential → micro-credential verifies with the chain; untrusting breaks it', async () => {
      const trusted = await setTrust(t, qaOrgId, true);
      expect(trusted).toMatchObject({ kind: 'qa-agency', trusted: true, trustSource: 'admin' });
      const res = await issueAccreditation(accreditationNode(qa.did, uni.did));
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ accreditation: Record<string, unknown>; verifiableCredential: Record<string, unknown> }>();
      expect(body.verifiableCredential.issuer).toMatchObject({ id: qa.did });
      expect(body.verifiableCredential.proof).toMatchObject({ cryptosuite: 'eddsa-rdfc-2022' });
      expect(body.accreditation).toMatchObject({ id: ACC_ID, source: 'accreditation-credential', credentialIssuer: qa.did });
      expect(res.headers.location).toBe(`/registry/accreditations/${encodeURIComponent(ACC_ID)}`);

      // Public read by URL-encoded path: the signed credential travels with the record.
      const read = await t.app.inject({ method: 'GET', url: res.headers.location as string });
      expect(read.statusCode).toBe(200);
      expect(read.headers['cache-control']).toMatch(/max-age=\d+/);
      expect(read.json<Record<string, unknown>>().accreditationCredential).toEqual(body.verifiableCredential);
      // The accreditation credential itself verifies as a credential of the QA agency.
      const own = await verifyOverHttp(t, body.verifiableCredential);
      expect(own.line('proof')?.status).toBe('passed');

      const vc = await issueAccredited(t, await institutionOf(t, 'uni-b'), uni.auth, accreditationNode(qa.did, uni.did));
      const ok = await verifyOverHttp(t, vc);
      expect(ok.status, JSON.stringify(ok.report.results)).toBe(200);
      expect(ok.report.verdict).toBe('valid');
      const line = ok.line('accreditation')!;
      expect(line.status).toBe('passed');
      expect(line.message).toContain('Chain: trust anchor →');
      const chain = line.detail!.chain as Array<Record<string, unknown>>;
      expect(chain.map((c) => c.role)).toEqual(['trust-anchor', 'qa-agency', 'institution', 'micro-credential']);
      expect(chain[1]).toMatchObject({ did: qa.did });
      expect(chain[0]).toMatchObject({ source: 'admin' });

      // Out of the signed scope: the chain carries the scope failure.
      const eqf5 = await issueAccredited(t, await institutionOf(t, 'uni-b'), uni.auth, accreditationNode(qa.did, uni.did), { eqfLevel: 5 });
      const scoped = await verifyOverHttp(t, eqf5);
      expect(scoped.status).toBe(422);
      expect(scoped.line('accreditation')).toMatchObject({ status: 'failed', code: 'ACCREDITATION_SCOPE_EQF_LEVEL' });

      await setTrust(t, qaOrgId, false);
      const broken = await verifyOverHttp(t, vc);
      expect(broken.status).toBe(422);
      expect(broken.line('proof')?.status).toBe('passed');
      expect(broken.line('accreditation')).toMatchObject({ status: 'failed' });
      expect(['ACCREDITATION_CREDENTIAL_UNTRUSTED', 'ACCREDITING_AGENT_NOT_TRUSTED']).toContain(broken.line('accreditation')!.code);
      expect(broken.line('accreditation')!.code).toBe('ACCREDITATION_CREDENTIAL_UNTRUSTED');

      // The agency keeps its QA-agency classification when its institution record changes.
      const disable = await t.app.inject({ method: 'PATCH', url: '/admin/institutions/qa-agency', headers: t.admin, payload: { status: 'disabled' } });
      expect(disable.statusCode).toBe(200);
      expect((await organisationByDid(t, qa.did)).kind).toBe('qa-agency');
    });

    it('a tampered stored accreditation credential breaks the chain with ACCREDITATION_CREDENTIAL_INVALID', async () => {
      await t.app.inject({ method: 'PATCH', url: '/admin/institutions/qa-agency', headers: t.admin, payload: { status: 'active' } });
      await setTrust(t, qaOrgId, true);
      const vc = await issueAccredited(t, await institutionOf(t, 'uni-b'), uni.auth, accreditationNode(qa.did, uni.did));
      expect((await verifyOverHttp(t, vc)).status).toBe(200);
      // Widen the signed scope in the database behind the signature's back.
      await t.db.query(`UPDATE trust_accreditations SET credential = jsonb_set(credential, '{credentialSubject,expiryDate}', '"2099-01-01T00:00:00Z"') WHERE id = $1`, [ACC_ID]);
      const r = await verifyOverHttp(t, vc);
      expect(r.status).toBe(422);
      expect(r.line('accreditation')).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_INVALID' });
    });

    it('a suspended or revoked accreditation credential no longer backs the micro-credential', async () => {
      await t.app.inject({ method: 'PATCH', url: '/admin/institutions/qa-agency', headers: t.admin, payload: { status: 'active' } });
      await setTrust(t, qaOrgId, true);
      // A fresh accreditation credential replaces the one tampered with above.
      const res = await issueAccreditation(accreditationNode(qa.did, uni.did));
      expect(res.statusCode, res.body).toBe(201);
      const accVc = res.json<{ verifiableCredential: Record<string, unknown> }>().verifiableCredential;
      const purposes = [accVc.credentialStatus].flat().map((e) => (e as { statusPurpose: string }).statusPurpose);
      expect(purposes.sort()).toEqual(['revocation', 'suspension']);
      const vc = await issueAccredited(t, await institutionOf(t, 'uni-b'), uni.auth, accreditationNode(qa.did, uni.did));
      const before = await verifyOverHttp(t, vc);
      expect(before.status).toBe(200);
      expect(before.line('accreditation')?.status).toBe('passed');

      const setStatus = async (status: string) => {
        const r = await t.app.inject({ method: 'POST', url: '/credentials/status', headers: qa.auth, payload: { credentialId: accVc.id, credentialStatus: [{ type: 'BitstringStatusListEntry', status }] } });
        expect(r.statusCode, r.body).toBe(200);
      };
      await setStatus('suspended');
      const suspended = await verifyOverHttp(t, vc);
      expect(suspended.status).toBe(422);
      expect(suspended.report.verdict).toBe('invalid');
      expect(suspended.line('proof')?.status).toBe('passed');
      expect(suspended.line('status')?.status).toBe('passed'); // the micro-credential itself stands
      expect(suspended.line('accreditation')).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_SUSPENDED' });
      expect(suspended.line('accreditation')!.message).toContain(ACC_ID);

      await setStatus('active');
      expect((await verifyOverHttp(t, vc)).line('accreditation')?.status).toBe('passed');

      await setStatus('revoked');
      expect((await verifyOverHttp(t, accVc)).line('status')).toMatchObject({ status: 'failed', code: 'CREDENTIAL_REVOKED' });
      const revoked = await verifyOverHttp(t, vc);
      expect(revoked.status).toBe(422);
      expect(revoked.report.verdict).toBe('invalid');
      expect(revoked.line('accreditation')).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_REVOKED' });
      expect(revoked.line('accreditation')!.message).toContain(ACC_ID);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { ORG_URI, AGENT_URI, qdr, type QDR_FILES } from '../trust/trust-fixtures.js';
import { institutionOf, issueAccredited, organisationByDid, setTrust, verifyOverHttp } from '../trust/http-helpers.js';
import type { Institution } from '../../src/institutions/types.js';
import type { MicroCredentialRequest } from '../../src/elm/index.js';

const COUNTRY = 'http://publications.europa.eu/resource/authority/country/';

// The QDR test records all share one accreditation id, so each case re-imports its record (an import replaces it).
for (const kind of storeKinds) {
  describe(`registry accreditations over HTTP (${kind})`, () => {
    let t: TestApp;
    let inst: Institution;
    let auth: { authorization: string };
    let agentId: string;

    const importRecord = async (name: keyof typeof QDR_FILES) => {
      const res = await t.app.inject({ method: 'POST', url: '/admin/registry/accreditations', headers: t.admin, payload: qdr(name) });
      expect([200, 201], res.body).toContain(res.statusCode);
      return res.json<Record<string, unknown>>();
    };

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      const created = await t.createInstitution('minagric', { country: 'BE' });
      auth = created.auth;
      inst = await institutionOf(t, 'minagric');
      const acc = await importRecord('eqf');
      expect(acc).toMatchObject({ organisation: { id: ORG_URI }, accreditingAgent: { id: AGENT_URI }, source: 'qdr' });
      agentId = (acc.accreditingAgent as { registryId: string }).registryId;
      // Our institution is the accredited organisation: give its registry entry the QDR organisation URI.
      const merge = await t.app.inject({
        method: 'POST', url: '/admin/registry/organisations', headers: t.admin,
        payload: { kind: 'institution', legalName: 'minagric University', dids: [created.did], uris: [ORG_URI] },
      });
      expect(merge.statusCode, merge.body).toBe(200);
    });
    afterAll(async () => t.close());

    it('an untrusted accrediting agency → ACCREDITING_AGENT_NOT_TRUSTED, proof still passes', async () => {
      await importRecord('eqf');
      const vc = await issueAccredited(t, inst, auth, qdr('eqf'));
      const r = await verifyOverHttp(t, vc);
      expect(r.status).toBe(422);
      expect(r.line('proof')?.status).toBe('passed');
      expect(r.line('accreditation')).toMatchObject({ status: 'failed', code: 'ACCREDITING_AGENT_NOT_TRUSTED' });
    });

    it('trusted agency, in scope → 200 valid', async () => {
      await setTrust(t, agentId, true);
      await importRecord('eqf');
      const vc = await issueAccredited(t, inst, auth, qdr('eqf'));
      const r = await verifyOverHttp(t, vc);
      expect(r.report.results.filter((x) => x.status !== 'passed' && x.status !== 'skipped')).toEqual([]);
      expect(r.status).toBe(200);
      expect(r.report.verdict).toBe('valid');
      expect(r.line('accreditation')?.status).toBe('passed');
      expect(r.line('accreditation')?.message).toContain('Accredited by');
    });

    const cases: Array<[string, keyof typeof QDR_FILES, Record<string, unknown>, string]> = [
      ['expired', 'expired', {}, 'ACCREDITATION_EXPIRED'],
      ['not yet valid', 'future', {}, 'ACCREDITATION_NOT_YET_VALID'],
      ['out of EQF scope', 'eqf', { eqfLevel: 5 }, 'ACCREDITATION_SCOPE_EQF_LEVEL'],
      ['out of field', 'field', { thematicArea: ['0688'] }, 'ACCREDITATION_SCOPE_FIELD'],
      ['out of jurisdiction', 'jurisdiction', {}, 'ACCREDITATION_SCOPE_JURISDICTION'],
    ];
    for (const [name, file, overrides, code] of cases) {
      it(`${name} → 422 ${code} on the accreditation line while proof passes`, async () => {
        await setTrust(t, agentId, true);
        await importRecord(file);
        const vc = await issueAccredited(t, inst, auth, qdr(file), overrides);
        const r = await verifyOverHttp(t, vc);
        expect(r.status).toBe(422);
        expect(r.report.verdict).toBe('invalid');
        expect(r.line('proof')?.status).toBe('passed');
        expect(r.line('accreditation')).toMatchObject({ status: 'failed', code });
      });
    }

    it('field scope: a narrower ISCED-F field is covered → valid', async () => {
      await setTrust(t, agentId, true);
      await importRecord('field');
      const vc = await issueAccredited(t, inst, auth, qdr('field'), { thematicArea: ['0031'] });
      const r = await verifyOverHttp(t, vc);
      expect(r.line('accreditation')?.status, JSON.stringify(r.line('accreditation'))).toBe('passed');
      expect(r.status).toBe(200);
    });

    it('an accreditation not in the registry → ACCREDITATION_NOT_FOUND', async () => {
      const other = { ...qdr('eqf'), id: 'urn:epass:accreditation:not-registered' };
      const vc = await issueAccredited(t, inst, auth, other);
      const r = await verifyOverHttp(t, vc);
      expect(r.status).toBe(422);
      expect(r.line('accreditation')).toMatchObject({ status: 'failed', code: 'ACCREDITATION_NOT_FOUND' });
    });

    // A registered institution signs, but writes the accredited organisation's identifiers into its own credential.
    const impostorCases: Array<[string, (c: Record<string, unknown>) => void, Partial<MicroCredentialRequest>, string]> = [
      ['its eIDAS number copied into the issuer node', (c) => {
        (c.issuer as Record<string, unknown>).eIDASIdentifier = { id: 'urn:epass:legalIdentifier:copied', type: 'LegalIdentifier', notation: 'NTRBE-minagric', spatial: { id: `${COUNTRY}BEL`, type: 'Concept' } };
      }, {}, 'ACCREDITATION_ORGANISATION_MISMATCH'],
      ['its registration number, from another country, in the issuer node', (c) => {
        (c.issuer as Record<string, unknown>).registration = { id: 'urn:epass:legalIdentifier:copied', type: 'LegalIdentifier', notation: 'ACCRED0051ID06', spatial: { id: `${COUNTRY}IRL`, type: 'Concept' } };
      }, {}, 'ACCREDITATION_ORGANISATION_MISMATCH'],
      ['it named as awarding body', () => undefined, { awardingBody: { id: ORG_URI, legalName: 'Ministry of Rural Development and Food', country: 'GR', legalIdentifier: 'ACCRED0051ID06' } }, 'ACCREDITATION_AWARDING_BODY_NOT_BOUND'],
    ];
    for (const [i, [name, edit, overrides, code]] of impostorCases.entries()) {
      it(`an institution borrowing the accreditation with ${name} → ${code}`, async () => {
        await setTrust(t, agentId, true);
        await importRecord('eqf');
        const other = await t.createInstitution(`borrower-${i}`);
        const vc = await issueAccredited(t, await institutionOf(t, other.slug), other.auth, qdr('eqf'), overrides, edit);
        const r = await verifyOverHttp(t, vc);
        expect(r.line('trust')?.status).toBe('passed');
        expect(r.line('proof')?.status).toBe('passed');
        expect(r.status).toBe(422);
        expect(r.line('accreditation')).toMatchObject({ status: 'failed', code });
      });
    }

    it('another institution claiming the accreditation → ACCREDITATION_ORGANISATION_MISMATCH', async () => {
      await setTrust(t, agentId, true);
      await importRecord('eqf');
      const other = await t.createInstitution('impostor');
      const vc = await issueAccredited(t, await institutionOf(t, 'impostor'), other.auth, qdr('eqf'));
      const r = await verifyOverHttp(t, vc);
      expect(r.status).toBe(422);
      expect(r.line('accreditation')).toMatchObject({ status: 'failed', code: 'ACCREDITATION_ORGANISATION_MISMATCH' });
      expect((await organisationByDid(t, other.did)).kind).toBe('institution');
    });
  });
}

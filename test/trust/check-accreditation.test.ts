import { describe, expect, it } from 'vitest';
import { checkAccreditation, checkAccreditationInRegistry, type RegistryReader } from '../../src/trust/index.js';
import { ACCREDITATION_ID, ORG_URI, edcAccreditedCredential, elmCredential, qdr, snapshotOf } from './trust-fixtures.js';

const ISCED = 'http://data.europa.eu/snb/isced-f/';
const EQF = 'http://data.europa.eu/snb/eqf/';
const ATU_BCN = 'http://publications.europa.eu/resource/authority/atu/ESP_PR_BCN';
const ESP = 'http://publications.europa.eu/resource/authority/country/ESP';

const failuresOf = (detail: Record<string, unknown> | undefined): Array<{ code: string }> =>
  ((detail?.accreditations as Array<{ failures: Array<{ code: string }> }>) ?? []).flatMap((a) => a.failures);

describe('checkAccreditation with the QDR test records', () => {
  it('passes in scope, naming agency, EQF level and expiry', () => {
    const r = checkAccreditation({ credential: elmCredential() }, snapshotOf(qdr('eqf')));
    expect(r.status).toBe('passed');
    expect(r.code).toBeUndefined();
    expect(r.message).toBe('Accredited by National Organisation for the Certification of Qualifications for EQF level 6 with no expiry date.');
    const acc = (r.detail!.accreditations as Array<Record<string, unknown>>)[0]!;
    expect(acc).toMatchObject({ id: ACCREDITATION_ID, sites: ['evidence'], limits: { eqfLevels: [`${EQF}6`] } });
    expect(acc.matchedVia).toBe(`issuer id ${'did:web:issuers.microcred.test:issuers:minagric'}`);
  });

  const failing: Array<[string, () => ReturnType<typeof checkAccreditation>, string]> = [
    ['expired', () => checkAccreditation({ credential: elmCredential() }, snapshotOf(qdr('expired'))), 'ACCREDITATION_EXPIRED'],
    ['not yet valid', () => checkAccreditation({ credential: elmCredential() }, snapshotOf(qdr('future'))), 'ACCREDITATION_NOT_YET_VALID'],
    ['EQF level out of scope', () => checkAccreditation({ credential: elmCredential({ eqf: `${EQF}5` }) }, snapshotOf(qdr('eqf'))), 'ACCREDITATION_SCOPE_EQF_LEVEL'],
    ['no EQF level stated', () => checkAccreditation({ credential: elmCredential({ eqf: null }) }, snapshotOf(qdr('eqf'))), 'ACCREDITATION_SCOPE_EQF_LEVEL'],
    ['field out of scope', () => checkAccreditation({ credential: elmCredential({ field: `${ISCED}0041` }) }, snapshotOf(qdr('field'))), 'ACCREDITATION_SCOPE_FIELD'],
    ['broader field than accredited', () => checkAccreditation({ credential: elmCredential({ field: `${ISCED}00` }) }, snapshotOf(qdr('field'))), 'ACCREDITATION_SCOPE_FIELD'],
    ['jurisdiction out of scope', () => checkAccreditation({ credential: elmCredential() }, snapshotOf(qdr('jurisdiction'))), 'ACCREDITATION_SCOPE_JURISDICTION'],
    ['qualification not the accredited one', () => checkAccreditation({ credential: elmCredential() }, snapshotOf(qdr('qualification'))), 'ACCREDITATION_SCOPE_QUALIFICATION'],
    ['organisation mismatch', () => checkAccreditation({
      credential: elmCredential({ issuer: { id: 'did:web:other.test', type: 'Organisation' }, awardingBody: { id: 'urn:epass:org:other', type: 'Organisation', registration: { id: 'urn:x', type: 'LegalIdentifier', notation: 'OTHER-1' } } }),
    }, snapshotOf(qdr('eqf'))), 'ACCREDITATION_ORGANISATION_MISMATCH'],
    ['untrusted accrediting agent', () => checkAccreditation({ credential: elmCredential() }, snapshotOf(qdr('eqf'), { agentTrusted: false })), 'ACCREDITING_AGENT_NOT_TRUSTED'],
    ['not in the registry', () => checkAccreditation({ credential: elmCredential({ accreditation: 'urn:epass:accreditation:unknown' }) }, snapshotOf(qdr('eqf'))), 'ACCREDITATION_NOT_FOUND'],
  ];
  for (const [name, run, code] of failing) {
    it(`fails ${code} when ${name}`, () => {
      const r = run();
      expect(r.check).toBe('accreditation');
      expect(r.status).toBe('failed');
      expect(r.code).toBe(code);
      expect(failuresOf(r.detail).map((f) => f.code)).toContain(code);
    });
  }

  it('lets a broader ISCED-F field cover narrower ones (003 ⊃ 0031)', () => {
    for (const field of [`${ISCED}003`, `${ISCED}0031`, `${ISCED}0039`]) {
      const r = checkAccreditation({ credential: elmCredential({ field }) }, snapshotOf(qdr('field')));
      expect(r.status, field).toBe('passed');
    }
  });

  it('covers an awarding body located in the accredited ATU, not one only known by its country', () => {
    const body = (places: Record<string, unknown>) => ({ id: ORG_URI, type: 'Organisation', location: { id: 'urn:l', type: 'Location', ...places } });
    const inBcn = elmCredential({ awardingBody: body({ spatialCode: { id: ATU_BCN, type: 'Concept' }, address: { id: 'urn:a', type: 'Address', countryCode: { id: ESP } } }) });
    expect(checkAccreditation({ credential: inBcn }, snapshotOf(qdr('jurisdiction'))).status).toBe('passed');
    const onlySpain = elmCredential({ awardingBody: body({ address: { id: 'urn:a', type: 'Address', countryCode: { id: ESP } } }) });
    expect(checkAccreditation({ credential: onlySpain }, snapshotOf(qdr('jurisdiction'))).code).toBe('ACCREDITATION_SCOPE_JURISDICTION');
  });

  it('accepts the accredited qualification by identifier notation or id', () => {
    expect(checkAccreditation({ credential: elmCredential({ qualificationNotation: 'ACCRED0051ID06' }) }, snapshotOf(qdr('qualification'))).status).toBe('passed');
    expect(checkAccreditation({ credential: elmCredential({ qualificationId: 'http://ObgqTBBr/' }) }, snapshotOf(qdr('qualification'))).status).toBe('passed');
  });

  it('reports every scope failure; the first by priority decides the code', () => {
    const node = { ...qdr('eqf'), limitField: qdr('field').limitField };
    const r = checkAccreditation({ credential: elmCredential({ eqf: `${EQF}4`, field: `${ISCED}0612` }) }, snapshotOf(node));
    expect(r.code).toBe('ACCREDITATION_SCOPE_EQF_LEVEL');
    expect(failuresOf(r.detail).map((f) => f.code)).toEqual(['ACCREDITATION_SCOPE_EQF_LEVEL', 'ACCREDITATION_SCOPE_FIELD']);
    expect(r.message).toContain('1 more problem');
  });

  it('finds the accreditation on the specification, as a full node or a bare id', () => {
    const full = checkAccreditation({ credential: elmCredential({ site: 'specification', accreditation: qdr('eqf') }) }, snapshotOf(qdr('eqf')));
    expect(full.status).toBe('passed');
    expect((full.detail!.accreditations as Array<{ sites: string[] }>)[0]!.sites).toEqual(['specification']);
    const bare = checkAccreditation({ credential: elmCredential({ site: 'specification', accreditation: ACCREDITATION_ID }) }, snapshotOf(qdr('eqf')));
    expect(bare.status).toBe('passed');
  });

  it('judges by the registry copy, not a broader embedded copy', () => {
    const forged = { ...qdr('eqf'), limitEQFLevel: [{ id: `${EQF}5` }, { id: `${EQF}6` }] };
    const r = checkAccreditation({ credential: elmCredential({ eqf: `${EQF}5`, accreditation: forged }) }, snapshotOf(qdr('eqf')));
    expect(r.code).toBe('ACCREDITATION_SCOPE_EQF_LEVEL');
    expect((r.detail!.accreditations as Array<Record<string, unknown>>)[0]!.embeddedDiffersFromRegistry).toBe(true);
  });

  it('uses the issuing date given by the caller over the credential dates', () => {
    const r = checkAccreditation({ credential: elmCredential({ issued: '2019-01-01T00:00:00Z' }), issuedDate: '2021-01-01T00:00:00Z' }, snapshotOf(qdr('expired')));
    expect(r.code).toBe('ACCREDITATION_EXPIRED');
    expect(checkAccreditation({ credential: elmCredential({ issued: '2019-01-01T00:00:00Z' }) }, snapshotOf(qdr('expired'))).status).toBe('passed');
  });

  it('checks the EDC accredited-credential sample (registration notation, ISCED 0031, ESP_PR_BCN) against the QDR records', () => {
    const credential = { ...edcAccreditedCredential(), evidence: { id: 'urn:epass:evidence:1', type: 'Evidence', accreditation: { id: ACCREDITATION_ID } } };
    expect(checkAccreditation({ credential }, snapshotOf(qdr('field'))).status).toBe('passed');
    expect(checkAccreditation({ credential }, snapshotOf(qdr('eqf'))).status).toBe('passed');
    expect(checkAccreditation({ credential }, snapshotOf(qdr('jurisdiction'))).status).toBe('passed');
    // Its specification carries no identifier, so the qualification limit is not met.
    expect(checkAccreditation({ credential }, snapshotOf(qdr('qualification'))).code).toBe('ACCREDITATION_SCOPE_QUALIFICATION');
  });

  it('skips when nothing is claimed, fails when required or when the accredited profile is declared', () => {
    const none = elmCredential({ accreditation: undefined });
    expect(checkAccreditation({ credential: none }, snapshotOf(qdr('eqf')))).toEqual({ check: 'accreditation', status: 'skipped', message: 'No accreditation claimed.' });
    expect(checkAccreditation({ credential: none }, snapshotOf(qdr('eqf')), { required: true }).code).toBe('ACCREDITATION_NOT_CLAIMED');
    const profiled = { ...none, credentialProfiles: { id: 'http://data.europa.eu/snb/credential/6cf8e68c43' } };
    expect(checkAccreditation({ credential: profiled }, snapshotOf(qdr('eqf'))).code).toBe('ACCREDITATION_NOT_CLAIMED');
  });

  it('does not mutate the credential or the snapshot', () => {
    const credential = elmCredential();
    const snapshot = snapshotOf(qdr('eqf'));
    const before = JSON.stringify([credential, snapshot]);
    checkAccreditation({ credential }, snapshot);
    expect(JSON.stringify([credential, snapshot])).toBe(before);
  });

  it('is indeterminate with REGISTRY_UNAVAILABLE when the registry cannot be read', async () => {
    const down: RegistryReader = {
      getAccreditations: () => Promise.reject(new Error('connection refused')),
      findOrganisations: () => Promise.reject(new Error('connection refused')),
    };
    const r = await checkAccreditationInRegistry({ credential: elmCredential() }, down);
    expect(r).toMatchObject({ check: 'accreditation', status: 'indeterminate', code: 'REGISTRY_UNAVAILABLE' });
    // Nothing claimed: the outage does not matter.
    expect((await checkAccreditationInRegistry({ credential: elmCredential({ accreditation: undefined }) }, down)).status).toBe('skipped');
  });
});

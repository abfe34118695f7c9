import { describe, expect, it } from 'vitest';
import { checkAccreditation, checkAccreditationInRegistry, type RegistryReader } from '../../src/trust/index.js';
import { ACCREDITATION_ID, ISSUER_DID, ORG_URI, edcAccreditedCredential, elmCredential, org, qdr, snapshotOf } from './trust-fixtures.js';
import type { TrustSnapshot } from '../../src/trust/index.js';

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
    const sample: Record<string, unknown> = { ...edcAccreditedCredential(), evidence: { id: 'urn:epass:evidence:1', type: 'Evidence', accreditation: { id: ACCREDITATION_ID } } };
    // As published, only its awarding body's self-stated registration carries the number, and that one is Austrian.
    expect(checkAccreditation({ credential: sample }, snapshotOf(qdr('eqf'))).code).toBe('ACCREDITATION_ORGANISATION_MISMATCH');
    // Signed by the DID the registry holds for the accredited organisation, it is covered.
    const credential = { ...sample, issuer: { ...(sample.issuer as Record<string, unknown>), id: ISSUER_DID } };
    expect(checkAccreditation({ credential }, snapshotOf(qdr('field'))).status).toBe('passed');
    expect(checkAccreditation({ credential }, snapshotOf(qdr('eqf'))).status).toBe('passed');
    expect(checkAccreditation({ credential }, snapshotOf(qdr('jurisdiction'))).status).toBe('passed');
    // Its specification carries no identifier, so the qualification limit is not met.
    expect(checkAccreditation({ credential }, snapshotOf(qdr('qualification'))).code).toBe('ACCREDITATION_SCOPE_QUALIFICATION');
  });

  it('reads the EQF level from educationLevel of a LearningAchievementSpecification, EQF concepts only', () => {
    const withLevel = (level: string) => {
      const c = elmCredential({ eqf: null });
      const claim = (c.credentialSubject as { hasClaim: { specifiedBy: Record<string, unknown> } }).hasClaim;
      claim.specifiedBy = { ...claim.specifiedBy, type: 'LearningAchievementSpecification', educationLevel: { id: level, type: 'Concept' } };
      return c;
    };
    expect(checkAccreditation({ credential: withLevel(`${EQF}6`) }, snapshotOf(qdr('eqf'))).status).toBe('passed');
    const out = checkAccreditation({ credential: withLevel(`${EQF}5`) }, snapshotOf(qdr('eqf')));
    expect(out.code).toBe('ACCREDITATION_SCOPE_EQF_LEVEL');
    expect(out.message).toContain(`${EQF}5, outside`);
    // A level of another framework is no EQF level.
    const other = checkAccreditation({ credential: withLevel('http://data.europa.eu/snb/qdr/c_18e3e5f1') }, snapshotOf(qdr('eqf')));
    expect(other.code).toBe('ACCREDITATION_SCOPE_EQF_LEVEL');
    expect(other.message).toContain('states no EQF level');
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

describe('binding the accreditation to the organisation that signed', () => {
  const IRL = 'http://publications.europa.eu/resource/authority/country/IRL';
  const GRC = 'http://publications.europa.eu/resource/authority/country/GRC';
  const legalId = (notation: string, country?: string) => ({ id: `urn:li:${notation}`, type: 'LegalIdentifier', notation, ...(country ? { spatial: { id: country, type: 'Concept' } } : {}) });
  const unrelatedBody = { id: 'urn:epass:org:unrelated', type: 'Organisation', legalName: { en: 'Unrelated body' } };
  // The accredited institution's registry entry also holds its eIDAS number; an impostor institution is registered too.
  const registry = (node = qdr('eqf'), impostor: Record<string, unknown> = {}): TrustSnapshot => {
    const base = snapshotOf(node);
    const [agent, inst] = base.organisations;
    return {
      organisations: [agent!, { ...inst!, legalIdentifiers: { eidas: 'EL-999999999' } },
        org({ id: 'c0000000-0000-4000-8000-000000000003', kind: 'institution', legalName: 'Impostor College', country: 'IE', dids: ['did:web:other.example'], ...impostor })],
      accreditations: base.accreditations,
    };
  };

  const attacks: Array<[string, string, Record<string, unknown>]> = [
    ['a copied eIDAS identifier', 'did:web:attacker.example', { eIDASIdentifier: legalId('EL-999999999') }],
    ['a copied eIDAS identifier, signed by a registered institution', 'did:web:other.example', { eIDASIdentifier: legalId('EL-999999999') }],
    ['the registration number of another country', 'did:web:other.example', { registration: legalId('ACCRED0051ID06', IRL) }],
  ];
  for (const [name, did, ids] of attacks) {
    for (const strictIssuerBinding of [false, true]) {
      it(`fails ACCREDITATION_ORGANISATION_MISMATCH for ${name} in the issuer node${strictIssuerBinding ? ' (strict)' : ''}`, () => {
        const credential = elmCredential({ issuer: { id: did, type: 'Organisation', ...ids }, awardingBody: unrelatedBody });
        const r = checkAccreditation({ credential }, registry(), { strictIssuerBinding });
        expect(r.status).toBe('failed');
        expect(r.code).toBe('ACCREDITATION_ORGANISATION_MISMATCH');
        expect((r.detail!.accreditations as Array<{ matchedVia: unknown }>)[0]!.matchedVia).toBeNull();
      });
    }
  }

  it('matches through the signer DID and the legal identifiers the registry holds, within one country', () => {
    const node = { ...qdr('eqf'), organisation: { ...(qdr('eqf').organisation as Record<string, unknown>), registration: legalId('ACCRED0051ID06', GRC) } };
    const credential = elmCredential({ issuer: { id: 'did:web:other.example', type: 'Organisation' }, awardingBody: unrelatedBody });
    // The registry files the same registration number for the signer, and the signer is Greek: bound.
    const greek = checkAccreditation({ credential }, registry(node, { country: 'GR', legalIdentifiers: { national: 'ACCRED0051ID06' } }));
    expect(greek.status).toBe('passed');
    expect((greek.detail!.accreditations as Array<{ matchedVia: string }>)[0]!.matchedVia).toBe('issuer legal identifier national:ACCRED0051ID06 (GR)');
    // The same number in Ireland is another organisation.
    const irish = checkAccreditation({ credential }, registry(node, { country: 'IE', legalIdentifiers: { national: 'ACCRED0051ID06' } }));
    expect(irish.code).toBe('ACCREDITATION_ORGANISATION_MISMATCH');
    // The QDR record states no spatial for the number; the registry's country of the accredited organisation (GR) stands in.
    const qdrIrish = checkAccreditation({ credential }, registry(qdr('eqf'), { country: 'IE', legalIdentifiers: { national: 'ACCRED0051ID06' } }));
    expect(qdrIrish.code).toBe('ACCREDITATION_ORGANISATION_MISMATCH');
    expect(checkAccreditation({ credential }, registry(qdr('eqf'), { country: 'GR', legalIdentifiers: { national: 'ACCRED0051ID06' } })).status).toBe('passed');
  });

  it('fails ACCREDITATION_AWARDING_BODY_NOT_BOUND when the accredited awarding body is not the signer in the registry', () => {
    const credential = elmCredential({ issuer: { id: 'did:web:other.example', type: 'Organisation' } });
    const r = checkAccreditation({ credential }, registry());
    expect(r.status).toBe('failed');
    expect(r.code).toBe('ACCREDITATION_AWARDING_BODY_NOT_BOUND');
    expect(r.message).toContain(ACCREDITATION_ID);
    expect(r.message).toContain('did:web:other.example');
    expect(r.message).toMatch(/accredits .*awarding body.* does not bind/);
    // Named only by a self-stated registration number, it is not bound either.
    const byNumber = elmCredential({ issuer: { id: 'did:web:other.example', type: 'Organisation' }, awardingBody: { id: 'urn:epass:org:9', type: 'Organisation', registration: legalId('ACCRED0051ID06') } });
    expect(checkAccreditation({ credential: byNumber }, registry()).code).toBe('ACCREDITATION_AWARDING_BODY_NOT_BOUND');
    // Strict binding does not consider awarding bodies at all.
    expect(checkAccreditation({ credential }, registry(), { strictIssuerBinding: true }).code).toBe('ACCREDITATION_ORGANISATION_MISMATCH');
  });

  it('keeps the legitimate flows: issuer DID of the accredited organisation, and its own awarding body', () => {
    const own = checkAccreditation({ credential: elmCredential() }, registry(), { strictIssuerBinding: true });
    expect(own.status).toBe('passed');
    expect((own.detail!.accreditations as Array<{ matchedVia: string }>)[0]!.matchedVia).toBe(`issuer id ${ISSUER_DID}`);
    // An issuer whose identifiers name nobody does not stop its own accreditation from counting.
    expect(checkAccreditation({ credential: elmCredential({ awardingBody: unrelatedBody }) }, registry()).status).toBe('passed');
  });
});

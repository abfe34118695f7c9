import { describe, expect, it } from 'vitest';
import { annexIReport, buildMicroCredential, summarize, type MicroCredentialRequest } from '../../src/elm/index.js';
import { elmDocumentLoader, readReferenceJson, signedSamplePayload } from './shacl.js';
import { institution, maximalRequest, minimalRequest, NOW, sequentialIds } from './fixtures.js';

const opts = () => ({ institution, now: NOW, newId: sequentialIds(), documentLoader: elmDocumentLoader() });
const at = (o: unknown, ...path: (string | number)[]): any => path.reduce((x: any, k) => x?.[k], o);

describe('buildMicroCredential', () => {
  it('is deterministic given now and newId, and does not mutate the request', async () => {
    const req = structuredClone(maximalRequest);
    const a = await buildMicroCredential(req, opts());
    const b = await buildMicroCredential(req, opts());
    expect(a).toEqual(b);
    expect(req).toEqual(maximalRequest);
    expect(JSON.stringify(a)).not.toMatch(/urn:epass:[a-zA-Z]+:undefined/);
  });

  it('emits the EDC envelope: VC 1.1 + edc-ap context, profile, schema, dates, issuer', async () => {
    const vc = await buildMicroCredential(minimalRequest, opts());
    expect(vc['@context']).toEqual(['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap']);
    expect(vc['type']).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
    expect(at(vc, 'credentialProfiles', 0, 'id')).toBe('http://data.europa.eu/snb/credential/e34929035b');
    expect(vc['credentialSchema']).toEqual([{ id: 'http://data.europa.eu/snb/model/ap/edc-generic-full', type: 'ShaclValidator2017' }]);
    expect([vc['issued'], vc['issuanceDate'], vc['validFrom']]).toEqual(['2024-05-02T10:00:00Z', '2024-05-02T10:00:00Z', '2024-05-02T10:00:00Z']);
    expect(at(vc, 'issuer', 'id')).toBe(institution.did);
    expect(at(vc, 'issuer', 'eIDASIdentifier')).toMatchObject({ type: 'LegalIdentifier', notation: 'NTRIE-123456', spatial: { id: 'http://publications.europa.eu/resource/authority/country/IRL' } });
    expect(at(vc, 'credentialSubject', 'id')).toMatch(/^urn:uuid:/);
    // Institution awards by default: the same node (ids and all) as the issuer.
    expect(at(vc, 'credentialSubject', 'hasClaim', 0, 'awardedBy', 'awardingBody', 0)).toEqual(vc['issuer']);
    expect(vc['evidence']).toBeUndefined();
  });

  it('maps the maximal request onto ELM properties', async () => {
    const vc = await buildMicroCredential(maximalRequest, opts());
    const subject = vc['credentialSubject'];
    const spec = at(subject, 'hasClaim', 0, 'specifiedBy');
    expect(at(subject, 'id')).toBe(maximalRequest.learner.id);
    expect(at(subject, 'dateOfBirth')).toBe('1999-10-02T00:00:00Z');
    expect(at(subject, 'nationalID', 'spatial', 'id')).toMatch(/country\/ITA$/);
    expect(at(subject, 'contactPoint', 0, 'emailAddress', 0, 'id')).toBe('mailto:ana@example.org');
    expect(spec.title).toEqual(maximalRequest.title);
    expect(spec.creditPoint[0]).toMatchObject({ point: '2', framework: { id: 'http://data.europa.eu/snb/education-credit/6fcec5c5af' } });
    expect(spec.volumeOfLearning).toBe('PT60H');
    expect(spec.eqfLevel.id).toBe('http://data.europa.eu/snb/eqf/6');
    expect(spec.nqfLevel[0].id).toBe('http://data.europa.eu/snb/qdr/c_c392e7a2');
    expect(spec.thematicArea.map((t: any) => t.id)).toEqual(['http://data.europa.eu/snb/isced-f/0688', 'http://data.europa.eu/snb/isced-f/003']);
    expect(spec.isPartialQualification).toBe(true);
    expect(spec.isPartOf.map((p: any) => p.type)).toEqual(['Qualification', 'Qualification']);
    expect(spec.learningOutcome[0].relatedESCOSkill[0].inScheme.id).toBe('http://data.europa.eu/esco/concept-scheme/skills');
    expect(spec.provenBy[0].dcType.id).toBe('http://data.europa.eu/snb/assessment/de4d165a6c');
    const assessment = at(subject, 'hasClaim', 0, 'provenBy', 0);
    expect(assessment.grade.noteLiteral).toEqual({ en: 'Pass' });
    expect(assessment.idVerification.id).toBe('http://data.europa.eu/snb/supervision-verification/c598449d64');
    expect(at(subject, 'hasClaim', 0, 'awardedBy', 'awardingBody', 0, 'legalName')).toEqual({ en: 'Research Alliance' });
    expect(at(subject, 'hasClaim', 0, 'awardedBy', 'awardingDate')).toBe('2024-04-30T12:00:00Z');
    expect(vc['validUntil']).toBe('2029-05-01T00:00:00Z');
    const display = vc['displayParameter'] as any;
    expect(display.individualDisplay).toHaveLength(2);
    expect(display.primaryLanguage.id).toMatch(/language\/ENG$/);
    const svg = Buffer.from(display.individualDisplay[1].displayDetail[0].image.content, 'base64').toString('utf8');
    expect(svg).toContain('Création de micro-certifications numériques');
    expect(svg).toContain('Ana Andromeda');
  });

  it('accredited: accredited profile, both schemas, accreditation on the qualification and as evidence', async () => {
    const record = readReferenceJson('edci', 'accreditation', 'framed_accreditation-limitEQFlevel-eternal.json');
    const vc = await buildMicroCredential({ ...minimalRequest, qualityAssurance: { accreditationId: 'acc-1', type: 'institutional-license' } }, { ...opts(), accreditation: record });
    expect(at(vc, 'credentialProfiles', 0, 'id')).toBe('http://data.europa.eu/snb/credential/c_ae121a00');
    expect((vc['credentialSchema'] as any[]).map((s) => s.id)).toContain('http://data.europa.eu/snb/model/ap/edc-accredited');
    const acc = at(vc, 'credentialSubject', 'hasClaim', 0, 'specifiedBy', 'accreditation', 0);
    expect(acc.id).toBe(record['id']);
    expect(acc['@context']).toBeUndefined();
    expect(at(vc, 'evidence', 0, 'accreditation')).toEqual(acc);
    expect(at(vc, 'evidence', 0, 'dcType', 'id')).toBe('http://data.europa.eu/snb/evidence-type/c_991b06c6');
    expect(record['@context']).toBeDefined(); // caller's record untouched
  });

  const refusals: [string, MicroCredentialRequest, Record<string, unknown> | undefined, string, number][] = [
    ['unknown mode', { ...minimalRequest, participation: { mode: 'hybrid' } }, undefined, 'UNKNOWN_VOCABULARY_CODE', 400],
    ['unknown language', { ...minimalRequest, languages: ['xx'] }, undefined, 'UNKNOWN_VOCABULARY_CODE', 400],
    ['a language-map key outside the vocabulary', { ...minimalRequest, languages: ['en'], title: { xx: 'Bogus' } }, undefined, 'UNKNOWN_VOCABULARY_CODE', 400],
    ['an undeclared description language', { ...minimalRequest, languages: ['en'], description: { en: 'Yes', de: 'Ja' } }, undefined, 'LANGUAGE_NOT_DECLARED', 400],
    ['an undeclared title language', { ...minimalRequest, languages: ['en'], title: { fr: 'Titre' } }, undefined, 'LANGUAGE_NOT_DECLARED', 400],
    ['a title without the primary language', { ...minimalRequest, languages: ['en', 'fr'], title: { fr: 'Titre' } }, undefined, 'PRIMARY_LANGUAGE_MISSING', 400],
    ['an outcome without the primary language', { ...minimalRequest, languages: ['en', 'fr'], learningOutcomes: [{ text: { fr: 'Interpréter' } }] }, undefined, 'PRIMARY_LANGUAGE_MISSING', 400],
    ['an unknown outcome language without languages', { ...minimalRequest, learningOutcomes: [{ text: { en: 'x', zz: 'y' } }] }, undefined, 'UNKNOWN_VOCABULARY_CODE', 400],
    ['ECTS that round to zero', { ...minimalRequest, workload: { ects: 0.0000001 } }, undefined, 'WORKLOAD_TOO_SMALL', 400],
    ['hours that round to zero', { ...minimalRequest, workload: { hours: 0.001 } }, undefined, 'WORKLOAD_TOO_SMALL', 400],
    ['accreditation id without record', { ...minimalRequest, qualityAssurance: { accreditationId: 'nope' } }, undefined, 'ACCREDITATION_NOT_FOUND', 422],
    ['accreditation of another type', { ...minimalRequest, qualityAssurance: { accreditationId: 'a', type: 'programme-qa' } },
      readReferenceJson('edci', 'accreditation', 'framed_accreditation-expired.json'), 'ACCREDITATION_TYPE_MISMATCH', 422],
    ['not an accreditation', { ...minimalRequest, qualityAssurance: { accreditationId: 'a' } }, { id: 'x', type: 'Organisation' }, 'ACCREDITATION_INVALID', 422],
  ];
  for (const [name, req, accreditation, code, status] of refusals) {
    it(`refuses ${name} with ${code}`, async () => {
      await expect(buildMicroCredential(req, { ...opts(), ...(accreditation ? { accreditation } : {}) })).rejects.toMatchObject({ code, status });
    });
  }

  it('writes workload as plain decimals rounded to two places', async () => {
    const vc = await buildMicroCredential({ ...minimalRequest, workload: { ects: 0.1 + 0.2, ecvet: 1e-2, hours: 12.345 } }, opts());
    const spec = at(vc, 'credentialSubject', 'hasClaim', 0, 'specifiedBy');
    expect(spec.creditPoint.map((c: any) => c.point)).toEqual(['0.3', '0.01']);
    expect(spec.volumeOfLearning).toBe('PT12.35H');
  });

  it('without languages, every language used in the texts is declared, the institution language first', async () => {
    const vc = await buildMicroCredential({ ...minimalRequest, description: { en: 'Yes', de: 'Ja' } }, opts());
    const spec = at(vc, 'credentialSubject', 'hasClaim', 0, 'specifiedBy');
    expect(spec.language.map((l: any) => l.id.split('/').pop())).toEqual(['ENG', 'DEU']);
  });

  it('Annex I: a blank learner name does not identify the learner', async () => {
    const vc = await buildMicroCredential(minimalRequest, opts());
    const subject = vc['credentialSubject'] as Record<string, unknown>;
    Object.assign(subject, { givenName: { en: ' ' }, familyName: { en: '\n' }, fullName: { en: '  \n' } });
    const report = annexIReport(vc);
    expect(report.missing).toContain('learnerIdentification');
    Object.assign(subject, { fullName: { en: ' ' }, familyName: { en: 'Andromeda' } });
    expect(annexIReport(vc).mandatory.find((e) => e.element === 'learnerIdentification')).toMatchObject({ present: true, value: 'Andromeda' });
  });

  it('refuses an institution without any legal identifier', async () => {
    await expect(buildMicroCredential(minimalRequest, { ...opts(), institution: { ...institution, legalIdentifiers: {} } }))
      .rejects.toMatchObject({ code: 'INSTITUTION_LEGAL_IDENTIFIER_MISSING', status: 422 });
  });
});

describe('summarize', () => {
  it('summarizes a built credential in the requested language with fallback', async () => {
    const vc = await buildMicroCredential(maximalRequest, opts());
    const fr = summarize(vc, { lang: 'fr' });
    expect(fr).toMatchObject({
      title: 'Création de micro-certifications numériques', learner: 'Ana Andromeda',
      issuer: { name: 'University of Zed', country: 'Ireland' }, awardingBody: 'Research Alliance',
      issued: '2024-05-02T10:00:00Z', ects: 2, hours: 60, eqfLevel: 'Level 6', nqfLevel: 'RQF Level 6',
      assessment: { type: 'artefact assessment', grade: 'Pass', idVerification: 'Unsupervised without ID Verification' },
      participation: { mode: 'Blended', setting: 'non-formal learning' },
      qualityAssurance: { type: 'Program Quality Assurance' }, languages: ['en', 'fr'], validUntil: '2029-05-01T00:00:00Z',
    });
    // Second outcome has no French text: falls back to the primary language.
    expect(fr.learningOutcomes).toEqual(['Développer des contenus numériques', 'Communicate with a target community']);
    expect(summarize(vc, { lang: 'de' }).title).toBe('Digital micro-credential creation');
  });

  it('summarizes the official Annex I sample', () => {
    const s = summarize(signedSamplePayload('Sample-MC-Annex1-signed.jsonld'), { lang: 'es' });
    expect(s).toMatchObject({ title: 'Digital micro-credential creation', ects: 2, hours: 60, eqfLevel: 'Level 6', stackability: 'Stand-alone', languages: ['en'] });
    expect(s.learningOutcomes).toContain('Contento digital');
  });

  it('finds level, assessment and participation where the Annex I report does (educationLevel, hasPart, activity)', () => {
    const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
    const claim = (payload['credentialSubject'] as any).hasClaim;
    const spec = claim.specifiedBy;
    spec.type = 'LearningAchievementSpecification';
    spec.educationLevel = spec.eqfLevel;
    for (const key of ['eqfLevel', 'nqfLevel', 'mode']) delete spec[key];
    const part = claim.provenBy;
    claim.provenBy = { id: 'urn:epass:learningAssessment:0', type: 'LearningAssessment', title: { en: 'Overall' }, hasPart: [part] };
    expect(summarize(payload)).toMatchObject({
      eqfLevel: 'Level 6',
      assessment: { type: 'artefact assessment', grade: 'Pass', idVerification: 'Unsupervised without ID Verification' },
      participation: { mode: 'Blended' },
    });
  });

  it('summarizes an accredited credential with the accreditation', async () => {
    const record = readReferenceJson('edci', 'accreditation', 'framed_accreditation-limitEQFlevel-eternal.json');
    const vc = await buildMicroCredential({ ...minimalRequest, qualityAssurance: { accreditationId: 'a' } }, { ...opts(), accreditation: record });
    expect(summarize(vc).qualityAssurance.accreditation).toMatchObject({
      type: 'Institutional License', accreditingAgent: 'National Organisation for the Certification of Qualifications',
    });
  });
});

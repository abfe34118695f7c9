import { describe, expect, it } from 'vitest';
import {
  annexIReport, annexIRequestReport, assertAnnexIComplete, buildMicroCredential, checkMicroCredentialCompleteness,
  MANDATORY_ELEMENTS, type MicroCredentialRequest,
} from '../../src/elm/index.js';
import { elmDocumentLoader, readReferenceJson, signedSamplePayload } from './shacl.js';
import { institution, maximalRequest, minimalRequest, NOW, sequentialIds } from './fixtures.js';

const build = (r: MicroCredentialRequest, accreditation?: Record<string, unknown>) => buildMicroCredential(r, {
  institution, now: NOW, newId: sequentialIds(), documentLoader: elmDocumentLoader(), ...(accreditation ? { accreditation } : {}),
});

describe('annexIReport on the official samples', () => {
  it('Annex I sample: 10 of 11 present; it states no quality assurance anywhere', () => {
    const report = annexIReport(signedSamplePayload('Sample-MC-Annex1-signed.jsonld'));
    expect(report.mandatory.map((e) => e.element)).toEqual([...MANDATORY_ELEMENTS]);
    expect(report.missing).toEqual(['qualityAssurance']);
    const byKey = Object.fromEntries([...report.mandatory, ...report.optional].map((e) => [e.element, e]));
    expect(byKey['workload']?.value).toBe('2 ECTS, 60 hours');
    expect(byKey['level']?.value).toBe('Level 6, RQF Level 6');
    expect(byKey['assessmentType']?.value).toBe('artefact assessment');
    expect(byKey['supervision']?.value).toBe('Unsupervised without ID Verification');
    expect(byKey['grade']?.value).toBe('Pass');
    expect(byKey['prerequisites']?.present).toBe(true);
    expect(byKey['furtherInformation']?.present).toBe(false);
    expect(byKey['learningOutcomes']?.path).toBe('credentialSubject.hasClaim[].specifiedBy.learningOutcome[]');
  });

  it('Annex I sample becomes complete once an accreditation is attached', () => {
    const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
    const spec = ((payload['credentialSubject'] as any).hasClaim as any).specifiedBy;
    spec.accreditation = readReferenceJson('edci', 'accreditation', 'framed_accreditation-expired.json');
    expect(annexIReport(payload).complete).toBe(true);
  });

  it('Certificate of Participation sample: lists what a micro-credential would still need', () => {
    const report = annexIReport(signedSamplePayload('Sample-CertOfPart-signed.jsonld'));
    expect(report.complete).toBe(false);
    expect(report.missing).toEqual(['learningOutcomes', 'level', 'assessmentType', 'qualityAssurance']);
  });

  it('the unsigned Annex I sample also lacks the issuing date (EDC adds it when sealing)', () => {
    const report = annexIReport(readReferenceJson('elm', 'samples', 'Sample-MC-Annex1-unsigned.jsonld'));
    expect(report.missing).toEqual(['dateOfIssuing', 'qualityAssurance']);
  });

  it('level stated as educationLevel on a LearningAchievementSpecification counts (EQF or any other level)', () => {
    for (const level of ['http://data.europa.eu/snb/eqf/6', 'http://data.europa.eu/snb/isced-level/6']) {
      const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
      const spec = ((payload['credentialSubject'] as any).hasClaim as any).specifiedBy;
      spec.type = 'LearningAchievementSpecification';
      for (const key of ['eqfLevel', 'nqfLevel', 'isPartialQualification']) delete spec[key];
      spec.educationLevel = { id: level, type: 'Concept' };
      const report = annexIReport(payload);
      expect(report.missing, level).toEqual(['qualityAssurance']);
      expect(report.mandatory.find((e) => e.element === 'level')).toMatchObject({ present: true, path: 'credentialSubject.hasClaim[].specifiedBy.educationLevel' });
    }
  });

  it('assessment type, supervision and grade are found in sub-assessments (hasPart)', () => {
    const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
    const claim = (payload['credentialSubject'] as any).hasClaim;
    const part = structuredClone(claim.provenBy);
    part.id = 'urn:epass:learningAssessment:1.1';
    const overall = claim.provenBy;
    delete overall.specifiedBy.dcType;
    delete overall.idVerification;
    delete overall.grade;
    overall.hasPart = [{ id: 'urn:epass:learningAssessment:1.0', type: 'LearningAssessment', title: { en: 'Wrapper' }, hasPart: part }];
    const report = annexIReport(payload);
    expect(report.missing).toEqual(['qualityAssurance']);
    const byKey = Object.fromEntries([...report.mandatory, ...report.optional].map((e) => [e.element, e]));
    expect(byKey['assessmentType']).toMatchObject({ value: 'artefact assessment' });
    expect(byKey['supervision']?.value).toBe('Unsupervised without ID Verification');
    expect(byKey['grade']?.value).toBe('Pass');
  });

  it('sub-assessments deeper than the bound are not searched', () => {
    const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
    const claim = (payload['credentialSubject'] as any).hasClaim;
    let deepest = structuredClone(claim.provenBy);
    for (let i = 0; i < 20; i++) deepest = { id: `urn:epass:learningAssessment:w${i}`, type: 'LearningAssessment', hasPart: deepest };
    claim.provenBy = deepest;
    expect(annexIReport(payload).missing).toEqual(['assessmentType', 'qualityAssurance']);
  });

  it('EBSI example with sub-assessments: the overall grade first, a part\'s type when only the part states it', () => {
    const example = readReferenceJson('ebsi', 'vcdm2.0-europass-edc-schema', 'examples', 'Microcredential - Data and software business.json');
    const claim = ((example['credentialSubject'] as any).hasClaim as any[])[0];
    const parts = [claim.provenBy].flat()[0].hasPart as any[];
    expect(parts).toHaveLength(3);
    parts[1].specifiedBy.dcType = { id: 'http://data.europa.eu/snb/assessment/de4d165a6c', type: 'Concept', prefLabel: { en: ['artefact assessment'] } };
    const report = annexIReport(example);
    expect(report.missing).not.toContain('assessmentType');
    const byKey = Object.fromEntries([...report.mandatory, ...report.optional].map((e) => [e.element, e]));
    expect(byKey['assessmentType']?.value).toBe('artefact assessment');
    expect(byKey['grade']?.value).toBe('Excellent (5)');
  });

  it('form of participation is found on the learning activity specification (influencedBy)', () => {
    const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
    const claim = (payload['credentialSubject'] as any).hasClaim;
    delete claim.specifiedBy.mode;
    expect(claim.influencedBy.specifiedBy.mode.prefLabel.en).toBe('Blended');
    const report = annexIReport(payload);
    expect(report.missing).toEqual(['qualityAssurance']);
    expect(report.mandatory.find((e) => e.element === 'participation')).toMatchObject({
      present: true, value: 'Blended', path: 'credentialSubject.hasClaim[].influencedBy[].specifiedBy.mode',
    });
  });

  it('form of participation on an activity specification the achievement specification names (influencedBy)', () => {
    const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
    const claim = (payload['credentialSubject'] as any).hasClaim;
    delete claim.specifiedBy.mode;
    claim.specifiedBy.influencedBy = claim.influencedBy.specifiedBy;
    delete claim.influencedBy;
    const report = annexIReport(payload);
    expect(report.missing).toEqual(['qualityAssurance']);
    expect(report.mandatory.find((e) => e.element === 'participation')).toMatchObject({
      value: 'Blended', path: 'credentialSubject.hasClaim[].specifiedBy.influencedBy[].mode',
    });
  });

  it('an assessment mode is not a form of participation', () => {
    const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
    const claim = (payload['credentialSubject'] as any).hasClaim;
    delete claim.specifiedBy.mode;
    delete claim.influencedBy;
    expect(claim.provenBy.specifiedBy.mode).toBeDefined();
    expect(annexIReport(payload).missing).toEqual(['participation', 'qualityAssurance']);
  });

  it('an empty object misses every mandatory element', () => {
    expect(annexIReport({}).missing).toEqual([...MANDATORY_ELEMENTS]);
  });
});

describe('annexIReport on builder output', () => {
  for (const [name, req] of [['minimal', minimalRequest], ['maximal', maximalRequest]] as const) {
    it(`${name} request -> complete credential`, async () => {
      const report = annexIReport(await build(req));
      expect(report.missing).toEqual([]);
      expect(report.complete).toBe(true);
    });
  }
  it('maximal request -> every optional element present', async () => {
    const report = annexIReport(await build(maximalRequest));
    expect(report.optional.filter((e) => !e.present).map((e) => e.element)).toEqual([]);
    expect(report.optional.find((e) => e.element === 'stackability')?.value).toContain('MSc Digital Education');
  });
  it('accredited credential -> QA from the embedded accreditation', async () => {
    const acc = readReferenceJson('edci', 'accreditation', 'framed_accreditation-limitEQFlevel-eternal.json');
    const report = annexIReport(await build({ ...minimalRequest, qualityAssurance: { accreditationId: 'a' } }, acc));
    expect(report.mandatory.find((e) => e.element === 'qualityAssurance')).toMatchObject({ present: true, value: 'Institutional License' });
  });
});

describe('request-level Annex I check', () => {
  it('lists every missing element at once with 422 MICROCREDENTIAL_INCOMPLETE', () => {
    const bare: MicroCredentialRequest = { learner: { givenName: 'A', familyName: 'B' }, title: 'T' };
    expect(annexIRequestReport(bare).missing).toEqual(['learningOutcomes', 'workload', 'level', 'assessmentType', 'participation', 'qualityAssurance']);
    try {
      assertAnnexIComplete(bare);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'MICROCREDENTIAL_INCOMPLETE', status: 422 });
      expect((e as { detail: { missing: string[] } }).detail.missing).toHaveLength(6);
    }
  });
  const drops: [keyof MicroCredentialRequest, string][] = [
    ['learningOutcomes', 'learningOutcomes'], ['workload', 'workload'], ['eqfLevel', 'level'],
    ['assessment', 'assessmentType'], ['participation', 'participation'], ['qualityAssurance', 'qualityAssurance'],
  ];
  for (const [field, element] of drops) {
    it(`without ${field} -> missing ${element}`, () => {
      const r = structuredClone(minimalRequest);
      delete r[field];
      expect(annexIRequestReport(r).missing).toEqual([element]);
    });
  }
  it('nqfLevel alone satisfies the level element; complete request passes', () => {
    const { eqfLevel: _e, ...rest } = minimalRequest;
    expect(annexIRequestReport({ ...rest, nqfLevel: 'c_c392e7a2' }).complete).toBe(true);
    expect(() => assertAnnexIComplete(minimalRequest)).not.toThrow();
  });
});

describe('checkMicroCredentialCompleteness', () => {
  it('passes a built credential', async () => {
    expect(checkMicroCredentialCompleteness(await build(minimalRequest))).toMatchObject({ check: 'completeness', status: 'passed' });
  });
  it('fails an incomplete ELM credential with MICROCREDENTIAL_INCOMPLETE', () => {
    const r = checkMicroCredentialCompleteness(signedSamplePayload('Sample-CertOfPart-signed.jsonld'));
    expect(r).toMatchObject({ check: 'completeness', status: 'failed', code: 'MICROCREDENTIAL_INCOMPLETE' });
    expect(r.detail?.['missing']).toContain('learningOutcomes');
  });
  it('skips a non-ELM credential', () => {
    const vc = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:1' } };
    expect(checkMicroCredentialCompleteness(vc)).toMatchObject({ check: 'completeness', status: 'skipped' });
    expect(checkMicroCredentialCompleteness('not an object')).toMatchObject({ status: 'skipped' });
  });
});

import { describe, expect, it } from 'vitest';
import { buildMicroCredential, validateMicroCredentialRequest, type MicroCredentialRequest } from '../../src/elm/index.js';
import { assertNoDroppedTerms } from '../../src/jsonld/index.js';
import { elmDocumentLoader, readReferenceJson, signedSamplePayload, validateShacl, type ShapeProfile } from './shacl.js';
import { institution, maximalRequest, minimalRequest, NOW, sequentialIds } from './fixtures.js';

const accreditationRecord = readReferenceJson('edci', 'accreditation', 'framed_accreditation-limitEQFlevel-eternal.json');

async function build(request: MicroCredentialRequest, accredited: boolean): Promise<Record<string, unknown>> {
  const req = validateMicroCredentialRequest(structuredClone(request));
  const withQa: MicroCredentialRequest = accredited ? { ...req, qualityAssurance: { accreditationId: 'acc-1' } } : req;
  return buildMicroCredential(withQa, {
    institution, now: NOW, newId: sequentialIds(), documentLoader: elmDocumentLoader(),
    ...(accredited ? { accreditation: accreditationRecord } : {}),
  });
}

const cases: [string, MicroCredentialRequest, boolean][] = [
  ['minimal', minimalRequest, false],
  ['maximal', maximalRequest, false],
  ['minimal accredited', minimalRequest, true],
  ['maximal accredited', maximalRequest, true],
];

describe('EDC SHACL conformance of built credentials', () => {
  for (const [name, request, accredited] of cases) {
    it(`${name}: conforms to EDC-generic-no-cv + full${accredited ? ' + accredited' : ''}, no dropped terms`, async () => {
      const vc = await build(request, accredited);
      await expect(assertNoDroppedTerms(vc, elmDocumentLoader())).resolves.toBeUndefined();
      const profile: ShapeProfile = accredited ? 'accredited' : 'generic';
      const outcome = await validateShacl(vc, profile);
      expect(outcome.violations).toEqual([]);
      expect(outcome.conforms).toBe(true);
      expect(outcome.quads).toBeGreaterThan(50);
    });
  }

  it('refuses a QDR record whose accredited qualification has no title (would not conform)', async () => {
    const record = readReferenceJson('edci', 'accreditation', 'framed_accreditation-limitQualification-eternal.json');
    await expect(buildMicroCredential({ ...maximalRequest, qualityAssurance: { accreditationId: 'x' } }, {
      institution, now: NOW, newId: sequentialIds(), accreditation: record, documentLoader: elmDocumentLoader(),
    })).rejects.toMatchObject({ code: 'ACCREDITATION_INVALID', status: 422 });
  });

  for (const file of ['expired', 'future', 'limitEQFlevel-eternal', 'limitField-eternal', 'limitJurisdiction-eternal']) {
    it(`embeds the QDR record framed_accreditation-${file} conformantly`, async () => {
      const record = readReferenceJson('edci', 'accreditation', `framed_accreditation-${file}.json`);
      const vc = await buildMicroCredential({ ...maximalRequest, qualityAssurance: { accreditationId: 'x' } }, {
        institution, now: NOW, newId: sequentialIds(), accreditation: record, documentLoader: elmDocumentLoader(),
      });
      const outcome = await validateShacl(vc, 'accredited');
      expect(outcome.violations).toEqual([]);
    });
  }

  it('a non-accredited credential fails the accredited profile (the harness can fail)', async () => {
    const vc = await build(minimalRequest, false);
    const outcome = await validateShacl(vc, 'accredited');
    expect(outcome.conforms).toBe(false);
    expect(outcome.violations.some((v) => v.path === 'https://www.w3.org/2018/credentials#evidence')).toBe(true);
  });

  it('removing the eIDAS identifier breaks conformance (IssuerNodeShape)', async () => {
    const vc = await build(maximalRequest, false);
    delete (vc['issuer'] as Record<string, unknown>)['eIDASIdentifier'];
    const outcome = await validateShacl(vc);
    expect(outcome.conforms).toBe(false);
  });

  it('the official signed Annex I sample payload conforms to the same shapes', async () => {
    const payload = signedSamplePayload('Sample-MC-Annex1-signed.jsonld');
    await expect(assertNoDroppedTerms(payload, elmDocumentLoader())).resolves.toBeUndefined();
    const outcome = await validateShacl(payload);
    expect(outcome.violations).toEqual([]);
  });

  it('the official unsigned Annex I sample fails exactly on issued and the issuer eIDAS identifier', async () => {
    const outcome = await validateShacl(readReferenceJson('elm', 'samples', 'Sample-MC-Annex1-unsigned.jsonld'));
    expect(outcome.conforms).toBe(false);
    const paths = new Set(outcome.violations.map((v) => v.path ?? v.shape));
    expect(paths.has('https://www.w3.org/2018/credentials#issued')).toBe(true);
  });
});

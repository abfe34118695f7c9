import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normaliseQdrAccreditation } from '../../src/trust/index.js';
import type { AccreditationRecord, OrganisationRecord, TrustSnapshot } from '../../src/trust/index.js';

const QDR_DIR = fileURLToPath(new URL('../../../shared/reference/edc/edci/accreditation/', import.meta.url));

/** The QDR test records of the EDC code base, by short name. */
export const QDR_FILES = {
  expired: 'framed_accreditation-expired.json',
  future: 'framed_accreditation-future.json',
  eqf: 'framed_accreditation-limitEQFlevel-eternal.json',
  field: 'framed_accreditation-limitField-eternal.json',
  jurisdiction: 'framed_accreditation-limitJurisdiction-eternal.json',
  qualification: 'framed_accreditation-limitQualification-eternal.json',
} as const;

/** Read a shared QDR record (fresh copy each time). */
export function qdr(name: keyof typeof QDR_FILES): Record<string, unknown> {
  return JSON.parse(readFileSync(`${QDR_DIR}${QDR_FILES[name]}`, 'utf8')) as Record<string, unknown>;
}

/** The EDC "accredited credential" test sample. */
export function edcAccreditedCredential(): Record<string, unknown> {
  return JSON.parse(readFileSync(`${QDR_DIR}accredited_credential.jsonld`, 'utf8')) as Record<string, unknown>;
}

export const ACCREDITATION_ID = 'http://data.europa.eu/snb/data-dev/accreditation/d2455324-332c-4f80-80b8-bd37312341d6';
export const AGENT_URI = 'http://data.europa.eu/snb/data-dev/europassResource/ed5ff72d-3e12-4551-a543-60de9b41ee49';
export const ORG_URI = 'http://data.europa.eu/snb/data-dev/europassResource/d5e65781-d028-4df8-95ab-611078dd2e2d';
export const ISSUER_DID = 'did:web:issuers.microcred.test:issuers:minagric';
export const AGENT_DID = 'did:web:qa.eoppep.test';

/** A registry organisation record. */
export function org(partial: Partial<OrganisationRecord> & Pick<OrganisationRecord, 'id' | 'kind' | 'legalName'>): OrganisationRecord {
  return {
    country: null, dids: [], uris: [], legalIdentifiers: {}, status: 'active', trusted: false, trustSource: null, source: 'admin',
    createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', ...partial,
  };
}

/** A snapshot holding one QDR accreditation, its institution (with our DID) and its agent (trusted unless told). */
export function snapshotOf(node: Record<string, unknown>, opts: { agentTrusted?: boolean } = {}): TrustSnapshot {
  const n = normaliseQdrAccreditation(node);
  const agent = org({ id: 'a0000000-0000-4000-8000-000000000001', kind: 'qa-agency', legalName: 'National Organisation for the Certification of Qualifications', country: 'GR', uris: [AGENT_URI], dids: [AGENT_DID], trusted: opts.agentTrusted ?? true, trustSource: (opts.agentTrusted ?? true) ? 'trust-list' : null });
  const inst = org({ id: 'b0000000-0000-4000-8000-000000000002', kind: 'institution', legalName: 'Ministry of Rural Development and Food', country: 'GR', uris: [ORG_URI], dids: [ISSUER_DID] });
  const accreditation: AccreditationRecord = { ...n.accreditation, organisationId: inst.id, accreditingAgentId: agent.id, credential: null, credentialIssuer: null };
  return { organisations: [agent, inst], accreditations: [accreditation] };
}

/** Scope facts of a test credential. */
export interface CredentialSpec {
  accreditation?: unknown;
  site?: 'evidence' | 'specification';
  issued?: string;
  eqf?: string | null;
  field?: string | null;
  qualificationId?: string;
  qualificationNotation?: string;
  awardingBody?: Record<string, unknown>;
  issuer?: Record<string, unknown> | string;
}

const GRC = 'http://publications.europa.eu/resource/authority/country/GRC';

/** An ELM credential (VC 1.1, edc-ap) shaped like the EDC samples, claiming the given accreditation. */
export function elmCredential(spec: CredentialSpec = {}): Record<string, unknown> {
  const accreditation = 'accreditation' in spec ? spec.accreditation : ACCREDITATION_ID;
  const qualification: Record<string, unknown> = {
    id: spec.qualificationId ?? 'urn:epass:qualification:1',
    type: 'Qualification',
    title: { en: 'Vocational school certificate' },
    ...(spec.eqf === null ? {} : { eqfLevel: { id: spec.eqf ?? 'http://data.europa.eu/snb/eqf/6', type: 'Concept' } }),
    ...(spec.field === null ? {} : { thematicArea: { id: spec.field ?? 'http://data.europa.eu/snb/isced-f/0031', type: 'Concept' } }),
    ...(spec.qualificationNotation ? { identifier: { id: 'urn:epass:identifier:q1', type: 'Identifier', notation: spec.qualificationNotation } } : {}),
    ...(accreditation !== undefined && spec.site === 'specification' ? { accreditation } : {}),
  };
  const awardingBody = spec.awardingBody ?? {
    id: ORG_URI,
    type: 'Organisation',
    legalName: { en: 'Ministry of Rural Development and Food' },
    location: { id: 'urn:epass:location:1', type: 'Location', address: { id: 'urn:epass:address:1', type: 'Address', countryCode: { id: GRC, type: 'Concept' } } },
  };
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap'],
    id: 'urn:credential:test-1',
    type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    issuer: spec.issuer ?? { id: ISSUER_DID, type: 'Organisation', legalName: { en: 'Ministry of Rural Development and Food' } },
    issuanceDate: spec.issued ?? '2023-06-08T13:49:07Z',
    issued: spec.issued ?? '2023-06-08T13:49:07Z',
    validFrom: spec.issued ?? '2023-06-08T13:49:07Z',
    credentialProfiles: { id: 'http://data.europa.eu/snb/credential/e34929035b', type: 'Concept' },
    credentialSubject: {
      id: 'urn:epass:person:1',
      type: 'Person',
      hasClaim: {
        id: 'urn:epass:learningAchievement:1',
        type: 'LearningAchievement',
        title: { en: 'Vocational school certificate' },
        awardedBy: { id: 'urn:epass:awardingProcess:1', type: 'AwardingProcess', awardingBody },
        specifiedBy: qualification,
      },
    },
    ...(accreditation !== undefined && spec.site !== 'specification'
      ? { evidence: { id: 'urn:epass:evidence:1', type: 'Evidence', dcType: { id: 'http://data.europa.eu/snb/evidence-type/c_991b06c6', type: 'Concept' }, accreditation } }
      : {}),
  };
}

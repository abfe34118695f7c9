import { readAccreditationNode } from './accreditation-node.js';
import { alpha2Of } from './country-codes.js';
import type { RegistryRepo } from './registry-repo.js';
import type { AccreditationRecord, OrganisationInput, OrganisationRef, TrustSource } from './types.js';

/** A QDR accreditation split into the registry entries it yields. */
export interface NormalisedQdrAccreditation {
  accreditation: ReturnType<typeof readAccreditationNode>;
  organisation: OrganisationInput | null;
  accreditingAgent: OrganisationInput | null;
}

function organisationInput(ref: OrganisationRef, kind: 'institution' | 'qa-agency', source: TrustSource): OrganisationInput | null {
  if (!ref.id) return null;
  const did = ref.id.startsWith('did:');
  return {
    kind,
    legalName: ref.legalName ?? ref.id,
    country: ref.places.map(alpha2Of).find((c) => c !== null) ?? null,
    dids: did ? [ref.id] : [],
    uris: did ? [] : [ref.id],
    legalIdentifiers: ref.legalIdentifiers,
    source,
  };
}

/** Normalise a QDR-framed accreditation (the shape of the Qualification Dated Register's JSON-LD frames) without storing it. */
export function normaliseQdrAccreditation(json: unknown, source: TrustSource = 'qdr'): NormalisedQdrAccreditation {
  const accreditation = readAccreditationNode(json, source);
  return {
    accreditation,
    organisation: organisationInput(accreditation.organisation, 'institution', source),
    accreditingAgent: organisationInput(accreditation.accreditingAgent, 'qa-agency', source),
  };
}

/**
 * Import a QDR-framed accreditation into the registry (idempotent: the accreditation keeps its URI id,
 * organisations merge on shared identifiers). Importing never makes the accrediting agent a trust anchor.
 */
export async function importQdrAccreditation(repo: RegistryRepo, json: unknown): Promise<AccreditationRecord> {
  normaliseQdrAccreditation(json); // validate before opening a transaction
  return repo.upsertAccreditation(json, { source: 'qdr' });
}

import type { AccreditationRecord, OrganisationRecord } from './types.js';

/** The public JSON of a registry organisation (schemas/api.registry-organisation.json). */
export function presentOrganisation(org: OrganisationRecord): Record<string, unknown> {
  return {
    id: org.id,
    kind: org.kind,
    legalName: org.legalName,
    country: org.country,
    dids: [...org.dids],
    uris: [...org.uris],
    legalIdentifiers: { ...org.legalIdentifiers },
    status: org.status,
    trusted: org.trusted,
    trustSource: org.trustSource,
    source: org.source,
    createdAt: org.createdAt,
    updatedAt: org.updatedAt,
  };
}

/** The public JSON of a registry accreditation (schemas/api.registry-accreditation.json), with the signed credential when there is one. */
export function presentAccreditation(acc: AccreditationRecord): Record<string, unknown> {
  return {
    id: acc.id,
    title: acc.title,
    type: acc.type,
    organisation: { ...acc.organisation, registryId: acc.organisationId },
    accreditingAgent: { ...acc.accreditingAgent, registryId: acc.accreditingAgentId },
    dateIssued: acc.dateIssued,
    expiryDate: acc.expiryDate,
    reviewDate: acc.reviewDate,
    limits: acc.limits,
    source: acc.source,
    node: acc.node,
    accreditationCredential: acc.credential,
    credentialIssuer: acc.credentialIssuer,
  };
}

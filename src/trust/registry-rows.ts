import { limitsOf } from './accreditation-node.js';
import { asArray, langText, organisationRefOf } from './elm-read.js';
import type { AccreditationRecord, LegalIdentifiers, OrganisationKind, OrganisationRecord, TrustSource } from './types.js';

/** A trust_organisations row as the drivers return it. */
export interface OrganisationRow {
  id: string;
  kind: OrganisationKind;
  legal_name: string;
  country: string | null;
  dids: string[];
  uris: string[];
  legal_identifiers: LegalIdentifiers;
  legal_id_keys: string[];
  status: 'active' | 'disabled';
  trusted: boolean;
  trust_source: 'trust-list' | 'admin' | null;
  source: TrustSource;
  created_at: Date | string;
  updated_at: Date | string;
}

/** A trust_accreditations row as the drivers return it. */
export interface AccreditationRow {
  id: string;
  organisation_id: string | null;
  accrediting_agent_id: string | null;
  accreditation_type: string | null;
  date_issued: Date | string | null;
  expiry_date: Date | string | null;
  review_date: Date | string | null;
  node: Record<string, unknown>;
  source: TrustSource;
  credential: Record<string, unknown> | null;
  credential_issuer: string | null;
}

/** ISO string of a timestamp column (pg and PGlite both return Date objects). */
export function iso(v: Date | string): string {
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString();
}

function isoOrNull(v: Date | string | null): string | null {
  return v === null ? null : iso(v);
}

/** Map an organisation row to its record. */
export function organisationFromRow(r: OrganisationRow): OrganisationRecord {
  return {
    id: r.id,
    kind: r.kind,
    legalName: r.legal_name,
    country: r.country,
    dids: [...r.dids],
    uris: [...r.uris],
    legalIdentifiers: { ...r.legal_identifiers },
    status: r.status,
    trusted: r.trusted,
    trustSource: r.trust_source,
    source: r.source,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Map an accreditation row to its record; limits and references are re-read from the stored node. */
export function accreditationFromRow(r: AccreditationRow): AccreditationRecord {
  const node = r.node;
  return {
    id: r.id,
    title: langText(node.title),
    type: r.accreditation_type,
    organisation: organisationRefOf(asArray(node.organisation)[0]),
    accreditingAgent: organisationRefOf(asArray(node.accreditingAgent)[0]),
    organisationId: r.organisation_id,
    accreditingAgentId: r.accrediting_agent_id,
    dateIssued: isoOrNull(r.date_issued),
    expiryDate: isoOrNull(r.expiry_date),
    reviewDate: isoOrNull(r.review_date),
    limits: limitsOf(node),
    node,
    source: r.source,
    credential: r.credential,
    credentialIssuer: r.credential_issuer,
  };
}

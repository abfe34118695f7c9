/** What an organisation is to the trust registry. */
export type OrganisationKind = 'institution' | 'qa-agency' | 'registry-operator';

/** Where a registry entry came from. */
export type TrustSource = 'trust-list' | 'admin' | 'qdr' | 'accreditation-credential';

/**
 * Legal identifiers keyed by kind. ELM mapping: eIDASIdentifier → eidas, vatIdentifier → vat,
 * taxIdentifier → tax, registration (rov:registration) → national.
 */
export interface LegalIdentifiers {
  eidas?: string;
  vat?: string;
  tax?: string;
  national?: string;
  [kind: string]: string | undefined;
}

/** An organisation as stored in the registry. */
export interface OrganisationRecord {
  id: string;
  kind: OrganisationKind;
  legalName: string;
  /** ISO 3166-1 alpha-2 upper case when known. */
  country: string | null;
  dids: string[];
  /** Other URIs naming the organisation (QDR / ELM node ids, homepages are not ids). */
  uris: string[];
  legalIdentifiers: LegalIdentifiers;
  status: 'active' | 'disabled';
  /** True for trust anchors: QA agencies a trust list or an administrator vouches for. */
  trusted: boolean;
  trustSource: 'trust-list' | 'admin' | null;
  source: TrustSource;
  createdAt: string;
  updatedAt: string;
}

/** Input to upsert an organisation; merged with an existing entry sharing any DID, URI or legal identifier. */
export interface OrganisationInput {
  kind: OrganisationKind;
  legalName: string;
  country?: string | null;
  dids?: string[];
  uris?: string[];
  legalIdentifiers?: LegalIdentifiers;
  status?: 'active' | 'disabled';
  /** Set trust; omitted leaves an existing entry's trust as it is (imports never grant trust). */
  trust?: { trusted: boolean; source: 'trust-list' | 'admin' };
  source: TrustSource;
}

/** A qualification an accreditation is limited to. */
export interface QualificationRef {
  id: string | null;
  notations: string[];
}

/** The scope limits of an accreditation; an empty list means "no limit". */
export interface AccreditationLimits {
  qualifications: QualificationRef[];
  eqfLevels: string[];
  fields: string[];
  jurisdictions: string[];
  credentialTypes: string[];
}

/** Identifiers of an organisation as named inside an ELM node. */
export interface OrganisationRef {
  id: string | null;
  legalName: string | null;
  legalIdentifiers: LegalIdentifiers;
  /** Alpha-2 country of each legal identifier that states its `spatial`; a notation is only unique within it. */
  legalIdentifierCountries: Partial<Record<string, string>>;
  /** Concept URIs of its location: country, ATU, legal identifier spatial. */
  places: string[];
}

/** An accreditation as the checks see it. */
export interface AccreditationRecord {
  id: string;
  title: string | null;
  type: string | null;
  organisation: OrganisationRef;
  accreditingAgent: OrganisationRef;
  /** Registry organisation ids, when linked. */
  organisationId: string | null;
  accreditingAgentId: string | null;
  dateIssued: string | null;
  expiryDate: string | null;
  reviewDate: string | null;
  limits: AccreditationLimits;
  /** The ELM Accreditation JSON node, without @context. */
  node: Record<string, unknown>;
  source: TrustSource;
  /** The signed accreditation credential, when one was stored. */
  credential: Record<string, unknown> | null;
  credentialIssuer: string | null;
}

/** Registry data the pure checks work on; the caller fetches what it needs. */
export interface TrustSnapshot {
  organisations: readonly OrganisationRecord[];
  accreditations: readonly AccreditationRecord[];
}

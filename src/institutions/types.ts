/** Legal identifiers of an organisation; at least one is needed for the EDC issuer's eIDASIdentifier. */
export interface LegalIdentifiers {
  /** eIDAS organisation identifier as in an eSeal certificate, e.g. "VATBE-0123456789" or "NTRIE-123456". */
  eidas?: string;
  vat?: string;
  /** National business/education registry number. */
  national?: string;
}

/** An issuing institution (tenant) as the rest of the service sees it; never holds secrets. */
export interface Institution {
  id: string;
  slug: string;
  did: string;
  legalName: string;
  /** ISO 3166-1 alpha-2, upper case (e.g. "IE"). */
  country: string;
  legalIdentifiers: LegalIdentifiers;
  homepage?: string;
  /** ISO 639-1 language of the institution's own texts (default "en"). */
  defaultLanguage: string;
  status: 'active' | 'disabled';
  createdAt: string;
}

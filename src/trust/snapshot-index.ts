import { legalIdKeys, normaliseLegalId } from './elm-read.js';
import type { AccreditationRecord, OrganisationRecord, OrganisationRef, TrustSnapshot } from './types.js';

/** Lookups over a snapshot, built once per check. */
export interface SnapshotIndex {
  accreditation(id: string): AccreditationRecord | undefined;
  organisation(id: string | null): OrganisationRecord | undefined;
  byDid(did: string): OrganisationRecord | undefined;
  /** Every registry organisation holding this DID or URI. */
  holding(id: string): OrganisationRecord[];
  /** Registry organisations sharing any identifier with the ref (legal identifiers only within one country). */
  matching(ref: OrganisationRef): OrganisationRecord[];
}

/** One legal identifier, with the country it was issued in when known. */
export interface LegalId {
  kind: string;
  value: string;
  country: string | null;
}

/** The identifiers of one organisation, from a registry record or an ELM node. */
export interface Identity {
  ids: readonly string[];
  legal: readonly LegalId[];
}

/** Identity of an ELM organisation node: its id and its legal identifiers with their `spatial`. */
export function refIdentity(ref: OrganisationRef): Identity {
  const legal: LegalId[] = [];
  for (const [kind, value] of Object.entries(ref.legalIdentifiers)) {
    if (typeof value === 'string' && value.trim()) legal.push({ kind, value: normaliseLegalId(value), country: ref.legalIdentifierCountries[kind] ?? null });
  }
  return { ids: ref.id ? [ref.id] : [], legal };
}

/** Identity of a registry organisation; its legal identifiers are taken to be of its own country. */
export function organisationIdentity(org: OrganisationRecord): Identity {
  const legal: LegalId[] = [];
  for (const [kind, value] of Object.entries(org.legalIdentifiers)) {
    if (typeof value === 'string' && value.trim()) legal.push({ kind, value: normaliseLegalId(value), country: org.country });
  }
  return { ids: [...org.dids, ...org.uris], legal };
}

/** Same identifier: same kind and notation, and the same country when both state one. */
function sameLegalId(a: LegalId, b: LegalId): boolean {
  return a.kind === b.kind && a.value === b.value && (a.country === null || b.country === null || a.country === b.country);
}

/** The identifier two identities share ("id <uri>" or "legal identifier <kind>:<value>"), or null. */
export function sharedIdentifier(a: Identity, b: Identity): string | null {
  const id = a.ids.find((x) => b.ids.includes(x));
  if (id) return `id ${id}`;
  for (const l of a.legal) {
    const hit = b.legal.find((m) => sameLegalId(l, m));
    if (hit) return `legal identifier ${l.kind}:${l.value}${(l.country ?? hit.country) ? ` (${l.country ?? hit.country})` : ''}`;
  }
  return null;
}

/** Index a snapshot for the checks. */
export function indexSnapshot(snapshot: TrustSnapshot): SnapshotIndex {
  const accreditations = new Map(snapshot.accreditations.map((a) => [a.id, a]));
  const byId = new Map(snapshot.organisations.map((o) => [o.id, o]));
  // Candidates by "id:<uri>" and "kind:VALUE"; the country of a legal identifier is compared on each hit.
  const byKey = new Map<string, OrganisationRecord[]>();
  const add = (k: string, org: OrganisationRecord) => byKey.set(k, [...(byKey.get(k) ?? []), org]);
  for (const org of snapshot.organisations) {
    for (const id of [...org.dids, ...org.uris]) add(`id:${id}`, org);
    for (const k of legalIdKeys(org.legalIdentifiers)) add(k, org);
  }
  const holding = (id: string) => [...new Set(byKey.get(`id:${id}`) ?? [])];
  return {
    accreditation: (id) => accreditations.get(id),
    organisation: (id) => (id ? byId.get(id) : undefined),
    byDid: (did) => holding(did)[0],
    holding,
    matching: (ref) => {
      const identity = refIdentity(ref);
      const candidates = new Set([...identity.ids.map((i) => `id:${i}`), ...legalIdKeys(ref.legalIdentifiers)].flatMap((k) => byKey.get(k) ?? []));
      return [...candidates].filter((org) => sharedIdentifier(identity, organisationIdentity(org)) !== null);
    },
  };
}

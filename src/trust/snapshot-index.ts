import { legalIdKeys } from './elm-read.js';
import type { AccreditationRecord, OrganisationRecord, OrganisationRef, TrustSnapshot } from './types.js';

/** Lookups over a snapshot, built once per check. */
export interface SnapshotIndex {
  accreditation(id: string): AccreditationRecord | undefined;
  organisation(id: string | null): OrganisationRecord | undefined;
  byDid(did: string): OrganisationRecord | undefined;
  /** Registry organisations sharing any identifier with the ref. */
  matching(ref: OrganisationRef): OrganisationRecord[];
}

/** Every identifier of a ref as comparable keys: "id:<uri or did>" and "kind:VALUE". */
export function refKeys(ref: OrganisationRef): string[] {
  return [...(ref.id ? [`id:${ref.id}`] : []), ...legalIdKeys(ref.legalIdentifiers)];
}

/** Every identifier of a registry organisation as comparable keys. */
export function organisationKeys(org: OrganisationRecord): string[] {
  return [...org.dids.map((d) => `id:${d}`), ...org.uris.map((u) => `id:${u}`), ...legalIdKeys(org.legalIdentifiers)];
}

/** Index a snapshot for the checks. */
export function indexSnapshot(snapshot: TrustSnapshot): SnapshotIndex {
  const accreditations = new Map(snapshot.accreditations.map((a) => [a.id, a]));
  const byId = new Map(snapshot.organisations.map((o) => [o.id, o]));
  const byKey = new Map<string, OrganisationRecord[]>();
  for (const org of snapshot.organisations) {
    for (const k of organisationKeys(org)) byKey.set(k, [...(byKey.get(k) ?? []), org]);
  }
  return {
    accreditation: (id) => accreditations.get(id),
    organisation: (id) => (id ? byId.get(id) : undefined),
    byDid: (did) => byKey.get(`id:${did}`)?.[0],
    matching: (ref) => [...new Set(refKeys(ref).flatMap((k) => byKey.get(k) ?? []))],
  };
}

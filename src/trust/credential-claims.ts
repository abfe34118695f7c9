import { asArray, idOf, idsOf, isObject, langText, notationOf, organisationRefOf } from './elm-read.js';
import { eqfLevel } from './scope.js';
import type { OrganisationRef } from './types.js';

/** Scope facts of a claim's specification (Qualification or LearningAchievementSpecification). */
export interface SpecificationFacts {
  id: string | null;
  notations: string[];
  /** qualificationCode concept ids (links to a framework qualification). */
  qualificationCodes: string[];
  eqfLevels: string[];
  fields: string[];
}

/** One claim of the credential as the accreditation scope checks see it. */
export interface ClaimFacts {
  id: string | null;
  title: string | null;
  specifications: SpecificationFacts[];
  awardingBodies: OrganisationRef[];
}

/** Where in the credential an accreditation is claimed. */
export type ClaimSite = 'evidence' | 'specification' | 'awarding-body' | 'issuer';

/** An accreditation the credential claims, by id, with the claims it must cover. */
export interface ClaimedAccreditation {
  id: string;
  /** The embedded node when the credential carries one (informative; the registry copy decides). */
  embedded: Record<string, unknown> | null;
  sites: ClaimSite[];
  claims: ClaimFacts[];
}

/** What the checks read from an ELM credential. */
export interface CredentialFacts {
  issuer: OrganisationRef;
  claims: ClaimFacts[];
  credentialProfiles: string[];
  accreditations: ClaimedAccreditation[];
}

const ACCREDITED_PROFILES = new Set([
  'http://data.europa.eu/snb/credential/c_ae121a00',
  'http://data.europa.eu/snb/credential/6cf8e68c43',
]);

/** True when the credential declares the EDC "accredited" credential profile. */
export function declaresAccreditedProfile(facts: CredentialFacts): boolean {
  return facts.credentialProfiles.some((p) => ACCREDITED_PROFILES.has(p));
}

function specificationFacts(spec: unknown): SpecificationFacts {
  if (!isObject(spec)) return { id: idOf(spec), notations: [], qualificationCodes: [], eqfLevels: [], fields: [] };
  const notations = asArray(spec.identifier)
    .map((i) => (isObject(i) ? notationOf(i.notation) : null))
    .filter((n): n is string => n !== null);
  return {
    id: idOf(spec),
    notations,
    qualificationCodes: idsOf(spec.qualificationCode),
    // A LearningAchievementSpecification states its level as educationLevel; only EQF concepts are EQF levels.
    eqfLevels: [...new Set([...idsOf(spec.eqfLevel), ...idsOf(spec.educationLevel).filter((id) => eqfLevel(id) !== null)])],
    fields: idsOf(spec.thematicArea),
  };
}

/** Read the issuer, claims, profiles and claimed accreditations of an ELM credential (VC 1.1 JSON-LD). */
export function readCredentialFacts(credential: Record<string, unknown>): CredentialFacts {
  const claimed = new Map<string, ClaimedAccreditation>();
  const claim = (ref: unknown, site: ClaimSite, claims: ClaimFacts[]): void => {
    const id = idOf(ref);
    if (!id) return;
    const entry = claimed.get(id) ?? { id, embedded: null, sites: [], claims: [] };
    // A node with more than an id is an embedded copy; a bare string or {id} is a reference.
    if (isObject(ref) && Object.keys(ref).some((k) => k !== 'id' && k !== '@id')) entry.embedded ??= ref;
    if (!entry.sites.includes(site)) entry.sites.push(site);
    for (const c of claims) if (!entry.claims.includes(c)) entry.claims.push(c);
    claimed.set(id, entry);
  };

  const topClaims: ClaimFacts[] = [];
  const pending: Array<{ node: unknown; top: boolean }> = [];
  for (const subject of asArray(credential.credentialSubject)) {
    if (isObject(subject)) for (const c of asArray(subject.hasClaim)) pending.push({ node: c, top: true });
  }
  const seen = new Set<unknown>();
  while (pending.length > 0) {
    const { node, top } = pending.shift()!;
    if (!isObject(node) || seen.has(node)) continue;
    seen.add(node);
    const bodies = asArray(node.awardedBy).flatMap((p) => (isObject(p) ? asArray(p.awardingBody) : []));
    const specs = asArray(node.specifiedBy);
    const facts: ClaimFacts = {
      id: idOf(node),
      title: langText(node.title),
      specifications: specs.map(specificationFacts),
      awardingBodies: bodies.map(organisationRefOf),
    };
    if (top) topClaims.push(facts);
    for (const spec of specs) {
      if (!isObject(spec)) continue;
      for (const a of asArray(spec.accreditation)) claim(a, 'specification', [facts]);
      // A specification may specialise a qualification that carries the accreditation.
      for (const parent of asArray(spec.specialisationOf)) {
        if (isObject(parent)) for (const a of asArray(parent.accreditation)) claim(a, 'specification', [facts]);
      }
    }
    for (const body of bodies) if (isObject(body)) for (const a of asArray(body.accreditation)) claim(a, 'awarding-body', [facts]);
    for (const part of asArray(node.hasPart)) pending.push({ node: part, top: false });
  }

  const issuerNode = credential.issuer;
  if (isObject(issuerNode)) for (const a of asArray(issuerNode.accreditation)) claim(a, 'issuer', topClaims);
  for (const ev of asArray(credential.evidence)) {
    if (isObject(ev)) for (const a of asArray(ev.accreditation)) claim(a, 'evidence', topClaims);
  }

  return {
    issuer: organisationRefOf(issuerNode),
    claims: topClaims,
    credentialProfiles: idsOf(credential.credentialProfiles),
    accreditations: [...claimed.values()],
  };
}

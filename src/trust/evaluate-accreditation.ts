import { limitsOf } from './accreditation-node.js';
import { countryUriOf } from './country-codes.js';
import type { ClaimFacts, ClaimedAccreditation, CredentialFacts } from './credential-claims.js';
import { fieldCovers, jurisdictionCovers } from './scope.js';
import { organisationIdentity, refIdentity, sharedIdentifier, type Identity, type SnapshotIndex } from './snapshot-index.js';
import type { AccreditationLimits, AccreditationRecord, OrganisationRecord, OrganisationRef } from './types.js';

/** Accreditation failure codes, in the order that decides the check's code when several occur. */
export const ACCREDITATION_CODES = [
  'ACCREDITATION_NOT_FOUND',
  'ACCREDITING_AGENT_NOT_TRUSTED',
  'ACCREDITATION_NOT_YET_VALID',
  'ACCREDITATION_EXPIRED',
  'ACCREDITATION_ORGANISATION_MISMATCH',
  'ACCREDITATION_AWARDING_BODY_NOT_BOUND',
  'ACCREDITATION_SCOPE_QUALIFICATION',
  'ACCREDITATION_SCOPE_EQF_LEVEL',
  'ACCREDITATION_SCOPE_FIELD',
  'ACCREDITATION_SCOPE_JURISDICTION',
  'ACCREDITATION_SCOPE_CREDENTIAL_TYPE',
] as const;

/** One reason an accreditation does not cover the credential. */
export interface AccreditationFailure {
  code: (typeof ACCREDITATION_CODES)[number];
  message: string;
  accreditation: string;
  claim?: string | null;
}

/** The outcome for one claimed accreditation. */
export interface AccreditationEvaluation {
  id: string;
  record: AccreditationRecord | null;
  agent: OrganisationRecord | null;
  organisation: OrganisationRecord | null;
  matchedVia: string | null;
  failures: AccreditationFailure[];
  embeddedDiffers: boolean;
}

/** Options of the accreditation check. */
export interface AccreditationCheckOptions {
  /** Fail (not skip) when the credential claims no accreditation. */
  required?: boolean;
  /** Match the accredited organisation only through the issuer (its DID binds the signature), not awarding bodies the registry links to it. */
  strictIssuerBinding?: boolean;
}

const dateOnly = (iso: string): string => iso.slice(0, 10);
const claimLabel = (c: ClaimFacts): string => (c.title ? `"${c.title}"` : (c.id ?? 'the claim'));

function trustedAgent(rec: AccreditationRecord, idx: SnapshotIndex): { agent: OrganisationRecord | null; trusted: boolean } {
  const candidates = [idx.organisation(rec.accreditingAgentId), ...idx.matching(rec.accreditingAgent)].filter((o): o is OrganisationRecord => !!o);
  const trusted = candidates.find((o) => o.trusted && o.kind === 'qa-agency' && o.status === 'active');
  return { agent: trusted ?? candidates[0] ?? null, trusted: !!trusted };
}

/** How the accredited organisation was found among the credential's organisations. */
interface OrganisationMatch {
  organisation: OrganisationRecord | null;
  via: string | null;
  /** An awarding body the accreditation names, which the registry does not link to the signer. */
  unboundBody: OrganisationRef | null;
}

/**
 * Bind the accreditation to the organisation that signed: the issuer DID leads to its registry
 * organisations, and only registry-held identifiers (of those and of the accredited organisation)
 * are compared. What the credential says about its own issuer or awarding bodies is not bound to
 * the signer by anything, so on its own it never makes an accreditation match.
 */
function matchOrganisation(
  rec: AccreditationRecord, claimed: ClaimedAccreditation, issuerDid: string | null, idx: SnapshotIndex, opts: AccreditationCheckOptions,
): OrganisationMatch {
  const organisation = idx.organisation(rec.organisationId) ?? idx.matching(rec.organisation)[0] ?? null;
  // The registry's country for the accredited organisation stands for identifiers its record states no `spatial` for.
  const named = refIdentity(rec.organisation);
  const accredited: Identity[] = [
    { ids: named.ids, legal: named.legal.map((l) => ({ ...l, country: l.country ?? organisation?.country ?? null })) },
    ...(organisation ? [organisationIdentity(organisation)] : []),
  ];
  const hitOf = (identities: Identity[]): string | null => {
    for (const a of identities) for (const b of accredited) {
      const hit = sharedIdentifier(a, b);
      if (hit) return hit;
    }
    return null;
  };
  const signers = issuerDid ? idx.holding(issuerDid) : [];
  if (issuerDid) {
    const hit = hitOf([{ ids: [issuerDid], legal: [] }, ...signers.map(organisationIdentity)]);
    if (hit) return { organisation, via: `issuer ${hit}`, unboundBody: null };
  }
  if (opts.strictIssuerBinding) return { organisation, via: null, unboundBody: null };
  let unboundBody: OrganisationRef | null = null;
  for (const body of claimed.claims.flatMap((c) => c.awardingBodies)) {
    // The registry links the body to the signer when the body's id is one of the signer's own DIDs or URIs.
    const bound = body.id !== null && (body.id === issuerDid || signers.some((s) => s.dids.includes(body.id!) || s.uris.includes(body.id!)));
    const registered = body.id ? idx.holding(body.id).map(organisationIdentity) : [];
    if (bound) {
      const hit = hitOf(registered);
      if (hit) return { organisation, via: `awarding body ${hit}`, unboundBody: null };
    } else if (!unboundBody && hitOf([refIdentity(body), ...registered])) {
      unboundBody = body;
    }
  }
  return { organisation, via: null, unboundBody };
}

function placesFor(claim: ClaimFacts, facts: CredentialFacts, idx: SnapshotIndex): string[] {
  const refs = [...claim.awardingBodies, facts.issuer];
  const places = new Set(refs.flatMap((r) => r.places));
  for (const org of refs.flatMap((r) => idx.matching(r))) {
    const uri = org.country ? countryUriOf(org.country) : null;
    if (uri) places.add(uri);
  }
  return [...places];
}

function scopeFailures(rec: AccreditationRecord, claim: ClaimFacts, facts: CredentialFacts, idx: SnapshotIndex): AccreditationFailure[] {
  const l = rec.limits;
  const out: AccreditationFailure[] = [];
  const fail = (code: AccreditationFailure['code'], message: string): void => {
    out.push({ code, message, accreditation: rec.id, claim: claim.id });
  };
  const specs = claim.specifications;
  if (l.qualifications.length > 0) {
    const ok = specs.some((s) =>
      l.qualifications.some((q) => (q.id !== null && (s.id === q.id || s.qualificationCodes.includes(q.id))) || q.notations.some((n) => s.notations.includes(n))),
    );
    if (!ok) fail('ACCREDITATION_SCOPE_QUALIFICATION', `${claimLabel(claim)} is not a qualification accreditation ${rec.id} is limited to.`);
  }
  if (l.eqfLevels.length > 0) {
    const levels = specs.flatMap((s) => s.eqfLevels);
    if (levels.length === 0) fail('ACCREDITATION_SCOPE_EQF_LEVEL', `${claimLabel(claim)} states no EQF level, but accreditation ${rec.id} is limited to ${l.eqfLevels.join(', ')}.`);
    else if (!levels.some((lv) => l.eqfLevels.includes(lv))) fail('ACCREDITATION_SCOPE_EQF_LEVEL', `${claimLabel(claim)} is at ${levels.join(', ')}, outside the accredited ${l.eqfLevels.join(', ')}.`);
  }
  if (l.fields.length > 0) {
    const fields = specs.flatMap((s) => s.fields);
    if (fields.length === 0) fail('ACCREDITATION_SCOPE_FIELD', `${claimLabel(claim)} states no field of education (thematicArea), but accreditation ${rec.id} is limited to ${l.fields.join(', ')}.`);
    else if (!fields.some((f) => l.fields.some((lf) => fieldCovers(lf, f)))) fail('ACCREDITATION_SCOPE_FIELD', `${claimLabel(claim)} is in field ${fields.join(', ')}, not covered by the accredited ${l.fields.join(', ')}.`);
  }
  if (l.jurisdictions.length > 0) {
    const places = placesFor(claim, facts, idx);
    if (!places.some((p) => l.jurisdictions.some((j) => jurisdictionCovers(j, p)))) {
      fail('ACCREDITATION_SCOPE_JURISDICTION', `The awarding body of ${claimLabel(claim)} is located in ${places.join(', ') || 'no stated place'}, outside the accredited jurisdiction ${l.jurisdictions.join(', ')}.`);
    }
  }
  if (l.credentialTypes.length > 0 && !facts.credentialProfiles.some((p) => l.credentialTypes.includes(p))) {
    fail('ACCREDITATION_SCOPE_CREDENTIAL_TYPE', `The credential profile ${facts.credentialProfiles.join(', ') || '(none)'} is not among the accredited credential types ${l.credentialTypes.join(', ')}.`);
  }
  return out;
}

function sameLimits(a: AccreditationLimits, b: AccreditationLimits): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Evaluate one claimed accreditation against the registry copy, the issuing date and the claims it covers. */
export function evaluateAccreditation(
  claimed: ClaimedAccreditation, facts: CredentialFacts, issued: Date, idx: SnapshotIndex, opts: AccreditationCheckOptions, issuerDid: string | null,
): AccreditationEvaluation {
  const rec = idx.accreditation(claimed.id) ?? null;
  if (!rec) {
    return {
      id: claimed.id, record: null, agent: null, organisation: null, matchedVia: null, embeddedDiffers: false,
      failures: [{ code: 'ACCREDITATION_NOT_FOUND', accreditation: claimed.id, message: `Accreditation ${claimed.id} is not in the trust registry.` }],
    };
  }
  const failures: AccreditationFailure[] = [];
  const { agent, trusted } = trustedAgent(rec, idx);
  const agentName = agent?.legalName ?? rec.accreditingAgent.legalName ?? rec.accreditingAgent.id ?? 'an unnamed agent';
  if (!trusted) {
    failures.push({ code: 'ACCREDITING_AGENT_NOT_TRUSTED', accreditation: rec.id, message: `The accrediting agent ${agentName} is not a trusted quality-assurance body.` });
  }
  const t = issued.getTime();
  if (rec.dateIssued && t < Date.parse(rec.dateIssued)) {
    failures.push({ code: 'ACCREDITATION_NOT_YET_VALID', accreditation: rec.id, message: `The credential was issued on ${dateOnly(issued.toISOString())}, before accreditation ${rec.id} took effect on ${dateOnly(rec.dateIssued)}.` });
  }
  if (rec.expiryDate && t > Date.parse(rec.expiryDate)) {
    failures.push({ code: 'ACCREDITATION_EXPIRED', accreditation: rec.id, message: `The credential was issued on ${dateOnly(issued.toISOString())}, after accreditation ${rec.id} expired on ${dateOnly(rec.expiryDate)}.` });
  }
  const { organisation, via, unboundBody } = matchOrganisation(rec, claimed, issuerDid, idx, opts);
  const name = organisation?.legalName ?? rec.organisation.legalName ?? rec.organisation.id ?? 'no organisation';
  if (!via && unboundBody) {
    const body = unboundBody.legalName ?? unboundBody.id ?? 'an unnamed organisation';
    failures.push({
      code: 'ACCREDITATION_AWARDING_BODY_NOT_BOUND', accreditation: rec.id,
      message: `Accreditation ${rec.id} accredits ${name}, named as awarding body ${body}, but the trust registry does not bind that awarding body to the signer ${issuerDid ?? '(no issuer DID)'}.`,
    });
  } else if (!via) {
    failures.push({ code: 'ACCREDITATION_ORGANISATION_MISMATCH', accreditation: rec.id, message: `Accreditation ${rec.id} accredits ${name}, which is neither the issuer${opts.strictIssuerBinding ? '' : ' nor an awarding body'} of this credential.` });
  }
  const claims = claimed.claims.length > 0 ? claimed.claims : facts.claims;
  if (claims.length === 0) {
    failures.push({ code: 'ACCREDITATION_SCOPE_QUALIFICATION', accreditation: rec.id, message: 'The credential makes no claim the accreditation could cover.' });
  }
  for (const claim of claims) failures.push(...scopeFailures(rec, claim, facts, idx));
  const embeddedDiffers = claimed.embedded !== null && !sameLimits(limitsOf(claimed.embedded), rec.limits);
  return { id: rec.id, record: rec, agent, organisation, matchedVia: via, failures, embeddedDiffers };
}

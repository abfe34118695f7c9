import { randomUUID } from 'node:crypto';
import { AppError, UnprocessableError } from '../errors.js';
import type { CheckResult } from '../verifying/types.js';
import { cleanAccreditationNode, readAccreditationNode } from './accreditation-node.js';
import { checkAccreditation } from './check-accreditation.js';
import { asArray, idOf, isObject } from './elm-read.js';
import { fetchSnapshotForCredential, type RegistryReader } from './registry-checks.js';
import type { RegistryRepo } from './registry-repo.js';
import { indexSnapshot } from './snapshot-index.js';
import type { AccreditationRecord, OrganisationRecord, TrustSnapshot } from './types.js';
import { serviceUnavailable } from '../jsonld/index.js';

/** Contexts of an accreditation credential: VC 1.1 plus edc-ap, so every ELM term of the subject is defined. */
export const ACCREDITATION_CREDENTIAL_CONTEXT = ['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap'] as const;

/** What a QA agency states when it issues an accreditation credential. */
export interface BuildAccreditationCredentialInput {
  /** ELM Accreditation node or QDR-framed accreditation; its own dates and limits are kept. */
  accreditation: unknown;
  issuer: { did: string; legalName?: string };
  issuanceDate: Date | string;
  id?: string;
}

/** Build the unsigned accreditation credential (VC 1.1, edc-ap) whose subject is the ELM Accreditation node. */
export function buildAccreditationCredential(input: BuildAccreditationCredentialInput): Record<string, unknown> {
  const rec = readAccreditationNode(input.accreditation, 'accreditation-credential');
  const issued = new Date(input.issuanceDate).toISOString();
  return {
    '@context': [...ACCREDITATION_CREDENTIAL_CONTEXT],
    id: input.id ?? `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential'],
    issuer: { id: input.issuer.did, type: 'Organisation', ...(input.issuer.legalName ? { legalName: { en: input.issuer.legalName } } : {}) },
    issuanceDate: issued,
    issued,
    validFrom: rec.dateIssued ?? issued,
    ...(rec.expiryDate ? { expirationDate: rec.expiryDate } : {}),
    credentialSubject: cleanAccreditationNode(rec.node),
  };
}

/** One line of the verifier's report on the accreditation credential. */
export type VerifierLine = Pick<CheckResult, 'status' | 'code' | 'message'>;

/**
 * Verifies a credential's proof (the service passes its own verifier); `status` and `validity` are the
 * verifier's lines on revocation/suspension and on the validity period, when it checked them.
 */
export type VerifyCredentialFn = (vc: Record<string, unknown>) => Promise<{ verified: boolean; issuer: string; status?: VerifierLine; validity?: VerifierLine }>;

/** Input of the chain evaluation. */
export interface EvaluateAccreditationChainInput {
  accreditationCredential: Record<string, unknown>;
  verifyCredential: VerifyCredentialFn;
  registry: TrustSnapshot | RegistryReader;
  /** Optionally carry the chain down to a micro-credential the accreditation should cover. */
  microCredential?: Record<string, unknown>;
}

const CHECK = 'accreditation-chain';

function fail(code: string, message: string, detail: Record<string, unknown>, status: 'failed' | 'indeterminate' = 'failed'): CheckResult {
  return { check: CHECK, status, code, message, detail };
}

/** Why the accreditation credential no longer stands: revoked, suspended or of unknown status. */
function statusProblem(vc: Record<string, unknown>, line: VerifierLine | undefined, name: string): CheckResult | null {
  if (!line || line.status === 'passed' || line.status === 'skipped') return null;
  const detail = { credentialId: idOf(vc), accreditation: name, statusCode: line.code ?? null, reason: line.message ?? null };
  if (line.status === 'indeterminate') {
    return fail('ACCREDITATION_CREDENTIAL_STATUS_UNKNOWN', `The revocation status of the credential backing accreditation ${name} could not be checked, so the accreditation cannot be relied on.`, detail, 'indeterminate');
  }
  if (line.code === 'CREDENTIAL_SUSPENDED') {
    return fail('ACCREDITATION_CREDENTIAL_SUSPENDED', `The quality-assurance agency has suspended the credential backing accreditation ${name}.`, detail);
  }
  if (line.code === 'CREDENTIAL_REVOKED') {
    return fail('ACCREDITATION_CREDENTIAL_REVOKED', `The quality-assurance agency has revoked the credential backing accreditation ${name}.`, detail);
  }
  return fail('ACCREDITATION_CREDENTIAL_INVALID', `The status entry of the credential backing accreditation ${name} does not hold: ${line.message ?? line.code ?? 'status check failed'}`, detail);
}

function timeOf(v: unknown): number | null {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : t;
}

/**
 * The accreditation credential's validity period. It must have started (the verifier's line, judged now).
 * Its end is judged on the day the micro-credential was issued, as the accreditation's own expiry is: an
 * accreditation that lapsed later still covered what was issued while it held. Alone, the verifier's line decides.
 */
function validityProblem(vc: Record<string, unknown>, line: VerifierLine | undefined, name: string, micro?: Record<string, unknown>): CheckResult | null {
  const detail = { credentialId: idOf(vc), accreditation: name };
  if (line?.status === 'failed') {
    if (line.code === 'NOT_YET_VALID') return fail('ACCREDITATION_CREDENTIAL_NOT_YET_VALID', `The credential backing accreditation ${name} is not valid yet: ${line.message}`, detail);
    if (line.code !== 'EXPIRED') return fail('ACCREDITATION_CREDENTIAL_INVALID', `The credential backing accreditation ${name} has an unreadable validity period: ${line.message}`, { ...detail, validityCode: line.code ?? null });
    if (!micro) return fail('ACCREDITATION_CREDENTIAL_EXPIRED', `The credential backing accreditation ${name} has expired: ${line.message}`, detail);
  }
  if (!micro) return null;
  const issued = timeOf(micro.issued ?? micro.issuanceDate ?? micro.validFrom);
  if (issued === null) return null; // the accreditation check itself reports an unreadable issuing date
  const ends = [timeOf(vc.validUntil), timeOf(vc.expirationDate)].filter((t): t is number => t !== null);
  const end = ends.length > 0 ? Math.min(...ends) : null;
  if (end !== null && issued > end) {
    return fail('ACCREDITATION_CREDENTIAL_EXPIRED', `The credential backing accreditation ${name} expired on ${new Date(end).toISOString().slice(0, 10)}, before this credential was issued on ${new Date(issued).toISOString().slice(0, 10)}.`, detail);
  }
  return null;
}

function shapeProblem(vc: Record<string, unknown>): string | null {
  const ctx = asArray(vc['@context']);
  if (ctx[0] !== ACCREDITATION_CREDENTIAL_CONTEXT[0] || !ctx.includes(ACCREDITATION_CREDENTIAL_CONTEXT[1])) return 'its @context must be the VC 1.1 context followed by edc-ap';
  if (!asArray(vc.type).includes('VerifiableCredential')) return 'its type must include VerifiableCredential';
  if (!idOf(vc.issuer)) return 'it names no issuer';
  const subjects = asArray(vc.credentialSubject);
  if (subjects.length !== 1 || !isObject(subjects[0])) return 'it must have exactly one credentialSubject, the Accreditation node';
  return null;
}

/**
 * Evaluate trust anchor → QA agency → institution (→ micro-credential): the accreditation credential's proof
 * verifies, its issuer is a trusted QA agency and is the accreditation's accrediting agent.
 */
export async function evaluateAccreditationChain(input: EvaluateAccreditationChainInput): Promise<CheckResult> {
  const vc = input.accreditationCredential;
  const problem = shapeProblem(vc);
  let node: Omit<AccreditationRecord, 'organisationId' | 'accreditingAgentId' | 'credential' | 'credentialIssuer'>;
  try {
    if (problem) throw new Error(problem);
    node = readAccreditationNode(asArray(vc.credentialSubject)[0], 'accreditation-credential');
  } catch (err) {
    return fail('ACCREDITATION_CREDENTIAL_INVALID', `The accreditation credential is malformed: ${(err as Error).message}.`, { credentialId: idOf(vc) });
  }
  let proof: Awaited<ReturnType<VerifyCredentialFn>>;
  try {
    proof = await input.verifyCredential(vc);
  } catch (err) {
    // A saturated service (503) checked nothing: the whole verification is refused, not judged.
    const busy = serviceUnavailable(err);
    if (busy) throw busy;
    return fail('PROOF_VERIFICATION_ERROR', 'The accreditation credential\'s proof could not be checked.', { credentialId: idOf(vc), reason: (err as Error).message }, 'indeterminate');
  }
  const declaredIssuer = idOf(vc.issuer)!;
  if (!proof.verified || proof.issuer !== declaredIssuer) {
    return fail('ACCREDITATION_CREDENTIAL_INVALID', `The accreditation credential's proof does not verify for issuer ${declaredIssuer}.`, { credentialId: idOf(vc), issuer: declaredIssuer, verifiedIssuer: proof.issuer });
  }
  // A withdrawn or lapsed credential decides at once; one that could not be checked only if nothing else fails.
  const standing = [statusProblem(vc, proof.status, node.id), validityProblem(vc, proof.validity, node.id, input.microCredential)].filter((r): r is CheckResult => r !== null);
  const failedStanding = standing.find((r) => r.status === 'failed');
  if (failedStanding) return failedStanding;
  const unknownStanding = standing[0] ?? null;
  let snapshot: TrustSnapshot;
  try {
    snapshot = 'organisations' in input.registry
      ? input.registry
      : await withIssuer(input.registry, declaredIssuer, input.microCredential);
  } catch (err) {
    return fail('REGISTRY_UNAVAILABLE', 'The trust registry could not be read, so the accreditation chain could not be decided.', { reason: (err as Error).message }, 'indeterminate');
  }
  const idx = indexSnapshot(snapshot);
  const agency = idx.byDid(declaredIssuer);
  const chain: Array<Record<string, unknown>> = [];
  if (!agency || !agency.trusted || agency.kind !== 'qa-agency' || agency.status !== 'active') {
    return fail('ACCREDITATION_CREDENTIAL_UNTRUSTED', `The accreditation credential is signed by ${declaredIssuer}, which is not a trusted quality-assurance agency.`, { credentialId: idOf(vc), issuer: declaredIssuer, chain });
  }
  chain.push({ role: 'trust-anchor', source: agency.trustSource }, { role: 'qa-agency', id: agency.id, did: declaredIssuer, name: agency.legalName });
  const agentIsIssuer = node.accreditingAgent.id === declaredIssuer || idx.matching(node.accreditingAgent).some((o) => o.id === agency.id);
  if (!agentIsIssuer) {
    return fail('ACCREDITATION_CREDENTIAL_UNTRUSTED', `The accreditation names ${node.accreditingAgent.legalName ?? node.accreditingAgent.id} as its accrediting agent, but ${agency.legalName} signed it.`, { credentialId: idOf(vc), issuer: declaredIssuer, chain });
  }
  const institution: OrganisationRecord | undefined = idx.matching(node.organisation)[0];
  chain.push({ role: 'institution', id: institution?.id ?? null, uri: node.organisation.id, name: institution?.legalName ?? node.organisation.legalName, accreditation: node.id });
  if (!input.microCredential) {
    if (unknownStanding) return { ...unknownStanding, detail: { ...unknownStanding.detail, chain } };
    return { check: CHECK, status: 'passed', message: `${agency.legalName}, a trusted QA agency, signed accreditation ${node.id} of ${institution?.legalName ?? node.organisation.legalName ?? node.organisation.id}.`, detail: { credentialId: idOf(vc), chain } };
  }
  // The signed copy is what the micro-credential is judged against, with its agent resolved to the verified signer.
  const record: AccreditationRecord = { ...node, organisationId: institution?.id ?? null, accreditingAgentId: agency.id, credential: vc, credentialIssuer: declaredIssuer };
  const result = checkAccreditation(
    { credential: input.microCredential },
    { organisations: snapshot.organisations, accreditations: [...snapshot.accreditations.filter((a) => a.id !== record.id), record] },
  );
  chain.push({ role: 'micro-credential', id: idOf(input.microCredential), accreditation: result.status, ...(result.code ? { code: result.code } : {}) });
  if (result.status === 'failed' || (result.status !== 'passed' && !unknownStanding)) {
    return { check: CHECK, status: result.status, ...(result.code ? { code: result.code } : {}), message: result.message, detail: { credentialId: idOf(vc), chain, accreditation: result.detail } };
  }
  if (unknownStanding) return { ...unknownStanding, detail: { ...unknownStanding.detail, chain, accreditation: result.detail } };
  return { check: CHECK, status: 'passed', message: `${result.message} Chain: trust anchor → ${agency.legalName} → ${institution?.legalName ?? node.organisation.id} → micro-credential.`, detail: { credentialId: idOf(vc), chain, accreditation: result.detail } };
}

async function withIssuer(repo: RegistryReader, issuerDid: string, micro?: Record<string, unknown>): Promise<TrustSnapshot> {
  const base = micro ? await fetchSnapshotForCredential(repo, micro) : { organisations: [], accreditations: [] };
  const more = await repo.findOrganisations({ dids: [issuerDid] });
  const seen = new Set(base.organisations.map((o) => o.id));
  return { organisations: [...base.organisations, ...more.filter((o) => !seen.has(o.id))], accreditations: base.accreditations };
}

/** Verify an accreditation credential's chain and store its Accreditation with the signed credential; refuses (422) when untrusted or invalid. */
export async function storeAccreditationCredential(
  repo: RegistryRepo, accreditationCredential: Record<string, unknown>, verifyCredential: VerifyCredentialFn,
): Promise<AccreditationRecord> {
  const result = await evaluateAccreditationChain({ accreditationCredential, verifyCredential, registry: repo });
  if (result.status === 'indeterminate') {
    throw new AppError(result.code ?? 'REGISTRY_UNAVAILABLE', result.message, 503, result.detail);
  }
  if (result.status !== 'passed') {
    throw new UnprocessableError(result.code ?? 'ACCREDITATION_CREDENTIAL_INVALID', result.message, result.detail);
  }
  const subject = asArray(accreditationCredential.credentialSubject)[0];
  return repo.upsertAccreditation(subject, {
    source: 'accreditation-credential',
    credential: { document: accreditationCredential, issuer: idOf(accreditationCredential.issuer)! },
  });
}

import { issuerId, typesOf, valuesOf } from './data-model.js';
import { holderOf } from './holder.js';
import type { CheckResult, ProblemDetail, Verdict, VerificationReport, VerificationSubject, VerificationSummary } from './types.js';

// Each W3C specification requires its own errors' problem `type` to start with its own URL.
const VC_DATA_MODEL = 'https://www.w3.org/TR/vc-data-model#';
const SECURITY = 'https://w3id.org/security#';
const STATUS_LIST = 'https://www.w3.org/ns/credentials/status-list#';

/** Problem type URL of every code a W3C specification defines; ours get a URN. */
const PROBLEM_TYPES: ReadonlyMap<string, string> = new Map([
  // VC Data Model 2.0 (Problem Details).
  ...['PARSING_ERROR', 'CRYPTOGRAPHIC_SECURITY_ERROR', 'MALFORMED_VALUE_ERROR', 'RANGE_ERROR'].map((c) => [c, VC_DATA_MODEL + c] as const),
  // Data Integrity 1.0 (Processing Errors; the proof errors of its drafts stay in the security
  // vocabulary) and Controlled Identifiers 1.0 (retrieving a verification method).
  ...[
    'PROOF_GENERATION_ERROR',
    'PROOF_VERIFICATION_ERROR',
    'PROOF_TRANSFORMATION_ERROR',
    'INVALID_DOMAIN_ERROR',
    'INVALID_CHALLENGE_ERROR',
    'MALFORMED_PROOF_ERROR',
    'MISMATCHED_PROOF_PURPOSE_ERROR',
    'DATA_LOSS_DETECTION_ERROR',
    'INVALID_VERIFICATION_METHOD_URL',
    'INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID',
    'INVALID_CONTROLLED_IDENTIFIER_DOCUMENT',
    'INVALID_VERIFICATION_METHOD',
    'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
  ].map((c) => [c, SECURITY + c] as const),
  // Bitstring Status List 1.0 §3.5. (Its RANGE_ERROR is the data model's, above.)
  ...['STATUS_RETRIEVAL_ERROR', 'STATUS_VERIFICATION_ERROR', 'STATUS_LIST_LENGTH_ERROR'].map((c) => [c, STATUS_LIST + c] as const),
  // Our codes for outcomes the status list validate algorithm (BSL §3.2) names: its error as the
  // type, our more specific code beside it (RFC 9457 lets a code extend a problem type).
  ['STATUS_PURPOSE_MISMATCH', `${STATUS_LIST}STATUS_VERIFICATION_ERROR`],
  ['STATUS_LIST_INVALID', `${STATUS_LIST}STATUS_VERIFICATION_ERROR`],
  ['STATUS_INDEX_OUT_OF_RANGE', `${VC_DATA_MODEL}RANGE_ERROR`],
]);

/** RFC 9457 problem detail for a non-passing result. */
export function toProblem(r: CheckResult): ProblemDetail {
  const code = r.code ?? 'CHECK_SKIPPED';
  return {
    type: PROBLEM_TYPES.get(code) ?? `urn:microcred:problem:${code}`,
    title: code.toLowerCase().replace(/_/g, ' '),
    detail: r.message,
    code,
    check: r.check,
  };
}

/** Any failed → invalid; else any indeterminate → indeterminate; else valid. */
export function verdictOf(results: readonly CheckResult[], children: readonly VerificationReport[] = []): Verdict {
  const verdicts = children.map((c) => c.verdict);
  if (results.some((r) => r.status === 'failed') || verdicts.includes('invalid')) return 'invalid';
  if (results.some((r) => r.status === 'indeterminate') || verdicts.includes('indeterminate')) return 'indeterminate';
  return 'valid';
}

/** Best-effort summary of what was presented, taken from the decoded document. */
export function summarize(subject: VerificationSubject | undefined): VerificationSummary {
  if (!subject) return { format: 'unknown' };
  const d = subject.document;
  const s: VerificationSummary = { format: subject.format };
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const id = str(d.id) ?? str(d.jti);
  if (id) s.id = id;
  const type = typesOf(d);
  if (type.length > 0) s.type = type;
  if (subject.kind === 'credential') {
    const iss = issuerId(d);
    if (iss) s.issuer = iss;
    const subjects = valuesOf(d.credentialSubject).map((c) => (typeof c === 'object' && c !== null ? str((c as Record<string, unknown>).id) : undefined)).filter((x): x is string => !!x);
    if (subjects.length > 0) s.subject = subjects;
    const from = str(d.validFrom) ?? str(d.issuanceDate);
    const until = str(d.validUntil) ?? str(d.expirationDate);
    if (from) s.validFrom = from;
    if (until) s.validUntil = until;
  } else {
    const holder = holderOf(subject);
    if (holder) s.holder = holder;
  }
  return s;
}

/** Assemble the report (VC-API checks/warnings/errors derived from the results). */
export function buildReport(results: CheckResult[], subject: VerificationSubject | undefined, credentials?: VerificationReport[]): VerificationReport {
  const verdict = verdictOf(results, credentials);
  const report: VerificationReport = {
    verified: verdict === 'valid',
    verdict,
    results,
    summary: summarize(subject),
    checks: results.filter((r) => r.status === 'passed').map((r) => r.check),
    warnings: results.filter((r) => r.status === 'skipped' && r.code === 'PREREQUISITE_NOT_MET').map(toProblem),
    errors: results.filter((r) => r.status === 'failed' || r.status === 'indeterminate').map(toProblem),
  };
  if (credentials) report.credentials = credentials;
  return report;
}

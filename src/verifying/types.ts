/** Outcome of one verification check. */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'indeterminate';

/** One line of the verification report: which check, its outcome, a stable code and a human reason. */
export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** Stable machine code; W3C VC error codes where they exist, ours otherwise. Absent only when passed. */
  code?: string;
  /** Plain-language reason, always present. */
  message: string;
  detail?: Record<string, unknown>;
}

/** Overall verdict: any failed check → invalid; else any indeterminate → indeterminate; else valid. */
export type Verdict = 'valid' | 'invalid' | 'indeterminate';

/** Wire formats the verifier accepts. */
export type CredentialFormat = 'ldp_vc' | 'vc+jwt' | 'ldp_vp' | 'vp+jwt';

/** RFC 9457 problem detail as used by the W3C VC data model and VC-API verify responses. */
export interface ProblemDetail {
  type: string;
  title: string;
  detail: string;
  /** Our stable code (same as CheckResult.code). */
  code: string;
  check: string;
}

/** Who/what a report is about, extracted best-effort even when checks fail. */
export interface VerificationSummary {
  format: CredentialFormat | 'unknown';
  id?: string;
  type?: string[];
  issuer?: string;
  /** credentialSubject.id values (credentials) or holder (presentations). */
  subject?: string[];
  holder?: string;
  validFrom?: string;
  validUntil?: string;
  /** ELM credentials: the human summary (src/elm summarize()). */
  microCredential?: unknown;
  /** ELM credentials: the Council Recommendation Annex I report. */
  annexI?: unknown;
}

/** The verifier's answer; the presentation form carries one sub-report per credential. */
export interface VerificationReport {
  verified: boolean;
  verdict: Verdict;
  results: CheckResult[];
  summary: VerificationSummary;
  /** Names of passed checks (VC-API). */
  checks: string[];
  warnings: ProblemDetail[];
  errors: ProblemDetail[];
  /** Presentations only: the report of each enclosed credential, in order. */
  credentials?: VerificationReport[];
}

/** A credential or presentation after decoding, as every check sees it. */
export interface VerificationSubject {
  kind: 'credential' | 'presentation';
  format: CredentialFormat;
  /** The JSON-LD document (for JOSE: the JWS payload, i.e. the claims set). */
  document: Record<string, unknown>;
  jws?: { compact: string; header: Record<string, unknown> };
}

/** Revocation/suspension lookup, provided by the status module. Throw when the list cannot be fetched. */
export interface StatusChecker {
  check(input: { credential: Record<string, unknown>; credentialStatus: Record<string, unknown> }): Promise<{
    /** True when the credential is revoked/suspended (or otherwise not in good standing). */
    flagged: boolean;
    code?: string;
    message?: string;
    detail?: Record<string, unknown>;
  }>;
}

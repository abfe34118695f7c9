export { verify, DEFAULT_CHECKS, type VerifyOptions } from './verify.js';
export { formatCheck } from './check-format.js';
export { issuerCheck } from './check-issuer.js';
export { proofCheck } from './check-proof.js';
export { validityCheck } from './check-validity.js';
export { statusCheck } from './check-status.js';
export { presentationCheck } from './check-presentation.js';
export { passed, failed, indeterminate, skipped, type Check, type CheckContext, type CheckOutcome, type ResolvedOptions } from './check.js';
export { checkContext, CTX, DEFAULT_CONTEXT_POLICY, type ContextKind, type ContextPolicy } from './context-policy.js';
export { withDidResolution, type DocumentLoader } from './document-loader.js';
export { DEFAULT_LIMITS, ResourceLimitError, type ResourceLimits } from './limits.js';
export { parseInput, ParsingError } from './parse-input.js';
export type { InputFacts } from './parse-input.js';
export { ALLOWED_CRYPTOSUITES, ALLOWED_LEGACY_TYPES, boundedVerificationSuites } from './suites.js';
export { ALLOWED_JOSE_ALGS } from './proof-jose.js';
export { verdictOf, toProblem } from './report.js';
export type {
  CheckResult,
  CheckStatus,
  CredentialFormat,
  ProblemDetail,
  StatusChecker,
  Verdict,
  VerificationReport,
  VerificationSubject,
  VerificationSummary,
} from './types.js';
export { createVerificationService, type VerificationService, type VerifyRequestOptions, type ReportEnricher } from './service.js';
export { isUrl } from './data-model.js';

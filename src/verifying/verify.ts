import { AppError } from '../errors.js';
import { scopedCanonicalizer } from '../jsonld/index.js';
import type { DidResolver } from '../did/index.js';
import { DEFAULT_CONTEXT_POLICY, type ContextPolicy } from './context-policy.js';
import { withDidResolution, type DocumentLoader } from './document-loader.js';
import { DEFAULT_LIMITS, type ResourceLimits } from './limits.js';
import { parseInput, type InputFacts } from './parse-input.js';
import { buildReport } from './report.js';
import { typesOf, valuesOf } from './data-model.js';
import { skipped, type Check, type CheckContext, type ResolvedOptions } from './check.js';
import { formatCheck } from './check-format.js';
import { issuerCheck } from './check-issuer.js';
import { proofCheck } from './check-proof.js';
import { validityCheck } from './check-validity.js';
import { statusCheck } from './check-status.js';
import { presentationCheck } from './check-presentation.js';
import type { CheckResult, StatusChecker, VerificationReport, VerificationSubject } from './types.js';

/** The built-in checks, in running order. */
export const DEFAULT_CHECKS: readonly Check[] = [formatCheck, issuerCheck, proofCheck, presentationCheck, validityCheck, statusCheck];

/** Options of verify(). */
export interface VerifyOptions {
  /** Static JSON-LD context loader (src/jsonld); DID URLs are answered by `resolver`. */
  documentLoader: DocumentLoader;
  resolver: DidResolver;
  now?: () => Date;
  clockSkewSeconds?: number;
  expected?: { challenge?: string; domain?: string };
  /** Extra check modules (trust, accreditation, completeness…), run after the built-in ones. */
  checks?: readonly Check[];
  /** Replace the built-in list entirely (rarely needed). */
  baseChecks?: readonly Check[];
  statusChecker?: StatusChecker;
  /** Adds facts about each decoded credential to its report (e.g. the ELM summary). */
  describe?: (report: VerificationReport, document: Record<string, unknown>) => Promise<void> | void;
  contextPolicy?: ContextPolicy;
  limits?: Partial<ResourceLimits>;
  /** What the caller already knows of the input (its source size; whether it is handed over). */
  input?: InputFacts;
}

function resolveOptions(o: VerifyOptions): ResolvedOptions {
  // One verification asks for the same DIDs several times, and canonicalizes the same document
  // more than once: each DID is resolved once, and each part of the document expanded once.
  const resolver = o.resolver.scoped?.() ?? o.resolver;
  return {
    documentLoader: withDidResolution(scopedCanonicalizer(o.documentLoader), resolver),
    resolver,
    now: o.now ?? (() => new Date()),
    clockSkewSeconds: o.clockSkewSeconds ?? 300,
    expected: { ...o.expected },
    contextPolicy: o.contextPolicy ?? DEFAULT_CONTEXT_POLICY,
    limits: { ...DEFAULT_LIMITS, ...o.limits },
    ...(o.statusChecker ? { statusChecker: o.statusChecker } : {}),
    ...(o.describe ? { describe: o.describe } : {}),
  };
}

async function runChecks(subject: VerificationSubject, checks: readonly Check[], options: ResolvedOptions, state: Map<string, unknown>): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (!check.appliesTo.includes(subject.kind)) continue;
    const blocker = (check.requires ?? []).map((n) => results.find((r) => r.check === n)).find((r) => r !== undefined && r.status !== 'passed');
    if (blocker) {
      results.push({ check: check.name, ...skipped(`Not run: the ${blocker.check} check did not pass.`, 'PREREQUISITE_NOT_MET') });
      continue;
    }
    const ctx: CheckContext = { subject, options, results, state };
    try {
      results.push({ check: check.name, ...(await check.run(ctx)) });
    } catch (err) {
      // The service could not do the work (503): the whole verification is refused, retryable.
      if (err instanceof AppError && err.status === 503) throw err;
      // A check that throws has not established anything: report it, never as passed.
      const code = err instanceof AppError ? err.code : 'VERIFICATION_ERROR';
      results.push({ check: check.name, status: err instanceof AppError ? 'failed' : 'indeterminate', code, message: (err as Error).message });
    }
  }
  return results;
}

function unparsable(err: unknown, checks: readonly Check[], why = 'the input could not be parsed'): CheckResult[] {
  const code = err instanceof AppError ? err.code : 'PARSING_ERROR';
  return [
    { check: 'format', status: 'failed', code, message: (err as Error).message },
    ...checks.filter((c) => c.name !== 'format').map((c) => ({ check: c.name, ...skipped(`Not run: ${why}.`, 'PREREQUISITE_NOT_MET') })),
  ];
}

/** True for an EnvelopedVerifiableCredential object (its data: URL is checked when it is parsed). */
function isEnveloped(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry) && typesOf(entry as Record<string, unknown>).includes('EnvelopedVerifiableCredential');
}

async function verifyParsed(subject: VerificationSubject, checks: readonly Check[], options: ResolvedOptions): Promise<VerificationReport> {
  const state = new Map<string, unknown>();
  if (subject.kind === 'credential') {
    const report = buildReport(await runChecks(subject, checks, options, state), subject);
    await options.describe?.(report, subject.document);
    return report;
  }
  // A presentation: its own checks, then one sub-report per enclosed credential.
  const entries = valuesOf(subject.document.verifiableCredential);
  const parsed: VerificationSubject[] = [];
  const subReports: VerificationReport[] = [];
  for (const entry of entries) {
    // VC-JOSE-COSE §3.1.2: a presentation secured with JOSE encloses its credentials as
    // EnvelopedVerifiableCredential (themselves JOSE-secured); an embedded proof is not one.
    if (subject.jws && !isEnveloped(entry)) {
      const refused = new AppError('JOSE_CREDENTIAL_NOT_ENVELOPED', 'A vp+jwt may enclose only EnvelopedVerifiableCredential objects (data:application/vc+jwt URLs).');
      let described: VerificationSubject | undefined;
      try {
        described = parseInput(entry, options.limits);
      } catch {
        // Refused either way; the summary just says less.
      }
      subReports.push(buildReport(unparsable(refused, checks.filter((c) => c.appliesTo.includes('credential')), 'a vp+jwt cannot carry this credential'), described));
      continue;
    }
    let sub: VerificationSubject;
    try {
      sub = parseInput(entry, options.limits);
    } catch (err) {
      subReports.push(buildReport(unparsable(err, checks.filter((c) => c.appliesTo.includes('credential'))), undefined));
      continue;
    }
    if (sub.kind !== 'credential') {
      subReports.push(buildReport([{ check: 'format', status: 'failed', code: 'MALFORMED_VALUE_ERROR', message: 'A presentation may not enclose another presentation.' }], sub));
      continue;
    }
    parsed.push(sub);
    subReports.push(await verifyParsed(sub, checks, options));
  }
  state.set('credentials', parsed);
  return buildReport(await runChecks(subject, checks, options, state), subject, subReports);
}

/**
 * Verify a credential or presentation (Data Integrity JSON-LD, vc+jwt/vp+jwt compact JWS, or an
 * Enveloped object) check by check. Never throws for bad input: the report says what is wrong.
 */
export async function verify(input: unknown, options: VerifyOptions): Promise<VerificationReport> {
  const resolved = resolveOptions(options);
  const checks = [...(options.baseChecks ?? DEFAULT_CHECKS), ...(options.checks ?? [])];
  let subject: VerificationSubject;
  try {
    subject = parseInput(input, resolved.limits, options.input);
  } catch (err) {
    return buildReport(unparsable(err, checks), undefined);
  }
  return verifyParsed(subject, checks, resolved);
}

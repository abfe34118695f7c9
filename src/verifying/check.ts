import type { DidResolver } from '../did/index.js';
import type { ContextPolicy } from './context-policy.js';
import type { DocumentLoader } from './document-loader.js';
import type { ResourceLimits } from './limits.js';
import type { CheckResult, StatusChecker, VerificationReport, VerificationSubject } from './types.js';

/** Options after defaults are applied; what every check receives. */
export interface ResolvedOptions {
  /** DID-aware loader (DID URLs → resolver, the rest → the static context loader). */
  documentLoader: DocumentLoader;
  resolver: DidResolver;
  now: () => Date;
  clockSkewSeconds: number;
  expected: { challenge?: string; domain?: string };
  contextPolicy: ContextPolicy;
  limits: ResourceLimits;
  statusChecker?: StatusChecker;
  describe?: (report: VerificationReport, document: Record<string, unknown>) => Promise<void> | void;
}

/** What a check sees: the decoded subject, the options, the results so far and a per-subject scratchpad. */
export interface CheckContext {
  subject: VerificationSubject;
  options: ResolvedOptions;
  results: readonly CheckResult[];
  /** Shared facts between checks of one subject (e.g. the resolved issuer document). */
  state: Map<string, unknown>;
}

/** A check's answer; the orchestrator adds the check name. */
export type CheckOutcome = Omit<CheckResult, 'check'>;

/** One verification check module. Checks run in list order; `requires` names checks that must have passed. */
export interface Check {
  readonly name: string;
  readonly appliesTo: ReadonlyArray<VerificationSubject['kind']>;
  readonly requires?: readonly string[];
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

/** Shorthands for outcomes. */
export const passed = (message: string, detail?: Record<string, unknown>): CheckOutcome => ({ status: 'passed', message, ...(detail ? { detail } : {}) });
export const failed = (code: string, message: string, detail?: Record<string, unknown>): CheckOutcome => ({ status: 'failed', code, message, ...(detail ? { detail } : {}) });
export const indeterminate = (code: string, message: string, detail?: Record<string, unknown>): CheckOutcome => ({ status: 'indeterminate', code, message, ...(detail ? { detail } : {}) });
export const skipped = (message: string, code?: string): CheckOutcome => ({ status: 'skipped', message, ...(code ? { code } : {}) });

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

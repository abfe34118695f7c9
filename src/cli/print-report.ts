import type { CheckResult, VerificationReport } from '../verifying/index.js';

const MARK: Record<CheckResult['status'], string> = { passed: '✓', failed: '✗', indeterminate: '?', skipped: '–' };

function headline(report: VerificationReport): string {
  const verdict = report.verdict.toUpperCase();
  const s = report.summary;
  const what = [s.format !== 'unknown' ? s.format : null, s.id ?? null].filter(Boolean).join(' ');
  return `${verdict}${what ? `  ${what}` : ''}${s.issuer ? `\n  issuer: ${s.issuer}` : ''}`;
}

function line(r: CheckResult, indent: string): string {
  return `${indent}${MARK[r.status]} ${r.check.padEnd(14)} ${r.message}${r.code && r.status !== 'passed' ? ` [${r.code}]` : ''}`;
}

function chainLines(r: CheckResult, indent: string): string[] {
  const chain = r.detail?.chain;
  if (!Array.isArray(chain) || chain.length === 0) return [];
  const step = (c: Record<string, unknown>) => `${String(c.role)}${c.name ? ` ${String(c.name)}` : c.did ? ` ${String(c.did)}` : c.id ? ` ${String(c.id)}` : ''}`;
  return [`${indent}    chain: ${(chain as Array<Record<string, unknown>>).map(step).join(' → ')}`];
}

/** The report as text: the verdict first, then one line per check (✓ passed, ✗ failed, ? indeterminate, – skipped). */
export function formatReport(report: VerificationReport, indent = ''): string {
  const out = [`${indent}${headline(report)}`];
  for (const r of report.results) out.push(line(r, `${indent}  `), ...chainLines(r, `${indent}  `));
  for (const [i, sub] of (report.credentials ?? []).entries()) {
    out.push(`${indent}  credential #${i + 1}:`, formatReport(sub, `${indent}    `));
  }
  return out.join('\n');
}

/** Process exit code of a verdict: 0 valid, 1 invalid, 2 indeterminate. */
export function exitCodeOf(report: VerificationReport): 0 | 1 | 2 {
  return report.verdict === 'valid' ? 0 : report.verdict === 'invalid' ? 1 : 2;
}

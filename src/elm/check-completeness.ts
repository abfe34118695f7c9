/** The verifier's `completeness` check: Annex I mandatory elements of an ELM credential. */
import type { CheckResult } from '../verifying/types.js';
import type { Check } from '../verifying/check.js';
import { annexIReport, isElmCredential } from './annex-i.js';

/** Runs the Annex I report as a CheckResult (skipped for non-ELM credentials). */
export function checkMicroCredentialCompleteness(credential: unknown): CheckResult {
  if (!isElmCredential(credential)) {
    return { check: 'completeness', status: 'skipped', message: 'Not a European Learning Model credential; the micro-credential completeness check does not apply.' };
  }
  const report = annexIReport(credential);
  if (report.complete) {
    return { check: 'completeness', status: 'passed', message: 'The credential carries all 11 mandatory elements of Annex I of the Council Recommendation on micro-credentials.', detail: { report } };
  }
  const labels = report.mandatory.filter((e) => !e.present).map((e) => e.label);
  return {
    check: 'completeness', status: 'failed', code: 'MICROCREDENTIAL_INCOMPLETE',
    message: `The credential lacks ${labels.length} mandatory Annex I element(s): ${labels.join('; ')}.`,
    detail: { missing: report.missing, report },
  };
}

/** The same check as a verifier module (src/verifying Check), for the service and the CLI. */
export const completenessCheck: Check = {
  name: 'completeness',
  appliesTo: ['credential'],
  requires: ['format'],
  async run({ subject }) {
    const { check: _name, ...outcome } = checkMicroCredentialCompleteness(subject.document);
    return outcome;
  },
};

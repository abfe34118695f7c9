import { AppError } from '../errors.js';
import { valuesOf } from './data-model.js';
import { failed, indeterminate, passed, skipped, type Check, type CheckOutcome } from './check.js';
import { serviceUnavailable } from '../jsonld/index.js';

/**
 * `status`: every credentialStatus entry is asked of the injected StatusChecker. A flagged entry
 * (revoked, suspended, foreign list…) decides over one that could not be checked; unknown is never "passed".
 */
export const statusCheck: Check = {
  name: 'status',
  appliesTo: ['credential'],
  requires: ['format'],
  async run({ subject, options }) {
    const entries = valuesOf(subject.document.credentialStatus);
    if (entries.length === 0) return skipped('The credential has no credentialStatus.');
    if (!options.statusChecker) return indeterminate('STATUS_RETRIEVAL_ERROR', 'The credential has a status entry but no status checker is configured.');
    let unknown: CheckOutcome | undefined;
    const purposes: string[] = [];
    for (const entry of entries) {
      const e = entry as Record<string, unknown>;
      try {
        const r = await options.statusChecker.check({ credential: subject.document, credentialStatus: e });
        if (r.flagged) return failed(r.code ?? 'CREDENTIAL_REVOKED', r.message ?? 'The credential is revoked or suspended.', r.detail);
        if (typeof e.statusPurpose === 'string') purposes.push(e.statusPurpose);
      } catch (err) {
        // A saturated service (503) checked nothing: the verification is refused, not judged.
        const busy = serviceUnavailable(err);
        if (busy) throw busy;
        // Keep the checker's own code (list invalid, too short, unsupported type…) and go on:
        // a later entry may still show the credential revoked.
        unknown ??= indeterminate(err instanceof AppError ? err.code : 'STATUS_RETRIEVAL_ERROR', `Status could not be checked: ${(err as Error).message}`);
      }
    }
    if (unknown) return unknown;
    return passed(`Status checked (${purposes.join(', ') || 'status list'}): not revoked or suspended.`);
  },
};

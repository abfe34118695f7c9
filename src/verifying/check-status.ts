import { valuesOf } from './data-model.js';
import { failed, indeterminate, passed, skipped, type Check } from './check.js';

/** `status`: every credentialStatus entry asked of the injected StatusChecker; unknown is never "passed". */
export const statusCheck: Check = {
  name: 'status',
  appliesTo: ['credential'],
  requires: ['format'],
  async run({ subject, options }) {
    const entries = valuesOf(subject.document.credentialStatus);
    if (entries.length === 0) return skipped('The credential has no credentialStatus.');
    if (!options.statusChecker) return indeterminate('STATUS_RETRIEVAL_ERROR', 'The credential has a status entry but no status checker is configured.');
    for (const entry of entries) {
      try {
        const r = await options.statusChecker.check({ credential: subject.document, credentialStatus: entry as Record<string, unknown> });
        if (r.flagged) return failed(r.code ?? 'CREDENTIAL_REVOKED', r.message ?? 'The credential is revoked or suspended.', r.detail);
      } catch (err) {
        return indeterminate('STATUS_RETRIEVAL_ERROR', `Status could not be checked: ${(err as Error).message}`);
      }
    }
    return passed('Status checked: not revoked or suspended.');
  },
};

import { expandSafe, isCanonicalizationLimit, serviceUnavailable } from '../jsonld/index.js';
import { checkContext } from './context-policy.js';
import { credentialModelProblem, presentationModelProblem } from './data-model.js';
import { joseClaimsProblem } from './jose-policy.js';
import { failed, passed, type Check, type CheckOutcome } from './check.js';

// Registered JWT claims VC-JOSE-COSE lets sit beside the credential in a claims set; they are not JSON-LD terms.
const JWT_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'cnf', 'nonce', 'vct', 'status'];

function jsonldFailure(err: unknown): CheckOutcome {
  const e = err as { name?: string; message?: string; details?: { code?: string; event?: { code?: string; details?: Record<string, unknown> } }; cause?: { code?: string } };
  const eventCode = e.details?.event?.code;
  if (e.name === 'jsonld.ValidationError') {
    return failed('UNDEFINED_TERM', `JSON-LD safe mode: ${eventCode ?? e.message ?? 'term dropped in expansion'}.`, {
      event: eventCode,
      ...(e.details?.event?.details ? { term: JSON.stringify(e.details.event.details).slice(0, 500) } : {}),
    });
  }
  if (e.name === 'jsonld.InvalidUrl' || /loading (remote context|document) failed/.test(e.details?.code ?? '')) {
    return failed('CONTEXT_NOT_ALLOWED', 'A JSON-LD context could not be loaded from the bundled set.', { reason: e.message });
  }
  return failed('PARSING_ERROR', `JSON-LD processing failed: ${e.message ?? String(err)}`);
}

/**
 * `format`: VC data-model rules, the @context allow-list, VC-JOSE-COSE's rules on a JOSE claims set
 * (VC 2.0 only, no `vc`/`vp` claim), and JSON-LD safe-mode expansion (no dropped terms).
 */
export const formatCheck: Check = {
  name: 'format',
  appliesTo: ['credential', 'presentation'],
  async run({ subject, options }) {
    const doc = subject.document;
    const ctx = checkContext(doc['@context'], options.contextPolicy);
    if (!ctx.ok) return failed(ctx.code, ctx.message);
    if (subject.jws) {
      const jose = joseClaimsProblem(doc, ctx.kind.base);
      if (jose) return failed(jose.code, jose.message);
    }
    const problem = subject.kind === 'credential' ? credentialModelProblem(doc) : presentationModelProblem(doc);
    if (problem) return failed(problem.code, problem.message);
    const expandable: Record<string, unknown> = { ...doc };
    if (subject.jws) for (const claim of JWT_CLAIMS) delete expandable[claim];
    try {
      // On the loader's worker pool when one is attached (same jsonld.js errors either way).
      await expandSafe(expandable, options.documentLoader);
    } catch (err) {
      // A saturated pool refused the work: no finding about the document, so no check result.
      const busy = serviceUnavailable(err);
      if (busy) throw busy;
      if (isCanonicalizationLimit(err)) return failed('RESOURCE_LIMIT_EXCEEDED', 'JSON-LD expansion exceeded its time bound.');
      return jsonldFailure(err);
    }
    return passed(`Well-formed ${subject.format} (${ctx.kind.name} contexts).`, { contextKind: ctx.kind.name });
  },
};

import jsigs from 'jsonld-signatures';
import { CredentialIssuancePurpose } from '@digitalbazaar/vc';
import { failed, passed, type CheckContext, type CheckOutcome } from './check.js';
import { authorizeMethod } from './authorize-method.js';
import { valuesOf } from './data-model.js';
import { isCanonicalizationLimit } from './limits.js';
import { serviceUnavailable } from '../jsonld/index.js';
import { boundedVerificationSuites, isAllowedSuite, suiteName } from './suites.js';

const { AuthenticationProofPurpose } = jsigs.purposes;

function timeProblem(proof: Record<string, unknown>, now: Date, skewMs: number): CheckOutcome | null {
  if (proof.created !== undefined) {
    const created = Date.parse(String(proof.created));
    if (Number.isNaN(created)) return failed('MALFORMED_VALUE_ERROR', 'proof.created is not a dateTime.');
    if (created > now.getTime() + skewMs) return failed('PROOF_CREATED_IN_FUTURE', `Proof created ${String(proof.created)}, after now.`);
  }
  if (proof.expires !== undefined) {
    const expires = Date.parse(String(proof.expires));
    if (Number.isNaN(expires)) return failed('MALFORMED_VALUE_ERROR', 'proof.expires is not a dateTime.');
    if (expires < now.getTime() - skewMs) return failed('PROOF_EXPIRED', `Proof expired ${String(proof.expires)}.`);
  }
  return null;
}

/**
 * Verify EVERY proof of a Data Integrity document, one at a time (jsonld-signatures alone accepts a
 * proof set when any one proof verifies). `controller` is the issuer (credentials) or holder (presentations).
 */
export async function verifyDataIntegrity(ctx: CheckContext, controller: string | undefined): Promise<CheckOutcome> {
  const { subject, options } = ctx;
  const isVp = subject.kind === 'presentation';
  const term = isVp ? 'authentication' : 'assertionMethod';
  const proofs = valuesOf(subject.document.proof);
  if (proofs.length === 0) return failed('PROOF_MISSING', 'The document carries no proof.');
  if (proofs.length > options.limits.maxProofs) {
    return failed('TOO_MANY_PROOFS', `${proofs.length} proofs; at most ${options.limits.maxProofs} are accepted.`);
  }
  const now = options.now();
  const skewMs = options.clockSkewSeconds * 1000;
  const { proof: _drop, ...unsigned } = subject.document;
  const verified: string[] = [];
  for (const [i, p] of proofs.entries()) {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return failed('MALFORMED_VALUE_ERROR', `proof[${i}] is not an object.`);
    const proof = p as Record<string, unknown>;
    if (!isAllowedSuite(proof)) return failed('PROOF_SUITE_NOT_ALLOWED', `proof[${i}] uses ${suiteName(proof)}, which is not accepted.`);
    if (proof.proofPurpose !== term) {
      return failed('PROOF_PURPOSE_MISMATCH', `proof[${i}] has proofPurpose ${String(proof.proofPurpose)}; expected ${term}.`);
    }
    const timing = timeProblem(proof, now, skewMs);
    if (timing) return { ...timing, detail: { proofIndex: i } };
    const auth = await authorizeMethod(options, proof.verificationMethod, controller, term);
    if ('outcome' in auth) return { ...auth.outcome, detail: { ...auth.outcome.detail, proofIndex: i } };

    const purpose = isVp
      ? new AuthenticationProofPurpose({
          challenge: typeof proof.challenge === 'string' ? proof.challenge : '',
          ...(typeof proof.domain === 'string' ? { domain: proof.domain } : {}),
        })
      : new CredentialIssuancePurpose();
    const signal = AbortSignal.timeout(options.limits.canonicalizeTimeoutMs);
    let result;
    try {
      result = await jsigs.verify({ ...unsigned, proof }, { suite: boundedVerificationSuites(signal, { timeoutMs: options.limits.canonicalizeTimeoutMs, documentLoader: options.documentLoader }), purpose: purpose as never, documentLoader: options.documentLoader });
    } catch (err) {
      result = { verified: false, error: err as Error & { errors?: Error[] } };
    }
    if (!result.verified) {
      const errors = [result.error, ...(result.error?.errors ?? []), ...(result.results ?? []).map((r) => r.error)].filter(Boolean);
      // A saturated pool refused the canonicalization: the signature was never checked.
      const busy = errors.map(serviceUnavailable).find((e) => e !== undefined);
      if (busy) throw busy;
      if (errors.some(isCanonicalizationLimit)) {
        return failed('RESOURCE_LIMIT_EXCEEDED', `proof[${i}]: canonicalization exceeded its work or time bound.`, { proofIndex: i });
      }
      const reason = errors.map((e) => (e as Error).message).find(Boolean) ?? 'signature did not verify';
      return failed('PROOF_VERIFICATION_ERROR', `proof[${i}] (${suiteName(proof)}) did not verify: ${reason}`, { proofIndex: i });
    }
    verified.push(String(proof.verificationMethod));
  }
  return passed(`${proofs.length} proof(s) verified.`, { verificationMethods: verified });
}

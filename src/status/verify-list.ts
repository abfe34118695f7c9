import { verify } from '../verifying/index.js';
import type { DidResolver } from '../did/index.js';
import type { DocumentLoader } from '../jsonld/index.js';

/** A verifyCredential for the status checker backed by the full verifier (proof, issuer DID, validity period). */
export function verifyListWith(deps: { documentLoader: DocumentLoader; resolver: DidResolver; now: () => Date; clockSkewSeconds?: number }) {
  return async (credential: Record<string, unknown>): Promise<{ verified: boolean; message?: string }> => {
    // No statusChecker: a list credential's own status is not looked up (no recursion).
    const report = await verify(credential, {
      documentLoader: deps.documentLoader,
      resolver: deps.resolver,
      now: deps.now,
      ...(deps.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: deps.clockSkewSeconds }),
    });
    const reasons = report.results.filter((r) => r.status !== 'passed' && r.status !== 'skipped').map((r) => `${r.check}: ${r.code ?? ''} ${r.message}`);
    return report.verdict === 'valid' ? { verified: true } : { verified: false, message: reasons.join('; ') };
  };
}

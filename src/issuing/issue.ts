import { assertNoDroppedTerms } from '../jsonld/index.js';
import { prepareCredential } from './prepare.js';
import { signDataIntegrity } from './data-integrity.js';
import { assertVcJwtSecurable, envelope, signVcJwt } from './vc-jwt.js';
import type { IssueOptions, IssueResult } from './types.js';

/**
 * Issue one credential: prepare (clone + fill), refuse undefined terms (safe-mode
 * expansion, also for vc+jwt since its payload is JSON-LD too), then secure it with the
 * chosen mechanism. Ed25519 signs eddsa-rdfc-2022, Ed25519Signature2020 and vc+jwt;
 * P-256 signs ecdsa-rdfc-2019.
 */
export async function issueCredential(input: unknown, opts: IssueOptions): Promise<IssueResult> {
  const prepared = prepareCredential(input, opts).credential;
  const { mechanism } = opts;
  if (mechanism === 'vc+jwt') assertVcJwtSecurable(prepared);
  // Enrichment (status entries) runs on the validated credential, so bad input reserves nothing.
  const credential = opts.enrich ? await opts.enrich(prepared) : prepared;
  // The steps after enrichment: what was reserved for the credential (status entries) stays
  // reserved, and used, while one of them is retried.
  const secure: <T>(step: () => Promise<T>) => Promise<T> = opts.secure ?? ((step) => step());
  // eddsa/ecdsa canonicalize the document in safe mode, which expands it and fails on the
  // same dropped terms; a separate expansion first would double the most expensive step.
  if (mechanism === 'vc+jwt' || mechanism === 'Ed25519Signature2020') await secure(() => assertNoDroppedTerms(credential, opts.documentLoader));
  if (mechanism === 'vc+jwt') {
    const signer = opts.jwtAlgorithm === 'ES256' ? opts.signers.p256 : opts.signers.ed25519;
    const jwt = await secure(() => signVcJwt(credential, { signer, now: opts.now }));
    return { credential, verifiableCredential: envelope(jwt), mechanism, format: 'vc+jwt', jwt };
  }
  const signer = mechanism === 'ecdsa-rdfc-2019' ? opts.signers.p256 : opts.signers.ed25519;
  const verifiableCredential = await secure(() => signDataIntegrity(credential, { suite: mechanism, signer, documentLoader: opts.documentLoader, now: opts.now }));
  return { credential, verifiableCredential, mechanism, format: 'ldp_vc' };
}

import { compactVerify, importJWK } from 'jose';
import { verificationMethodToJwk } from '../did/index.js';
import { failed, passed, type CheckContext, type CheckOutcome } from './check.js';
import { authorizeMethod } from './authorize-method.js';
import { JOSE_MEDIA_TYPE, joseMediaType, untypedJoseMismatch } from './jose-policy.js';

/** JWS algorithms we accept (never `none`, never HMAC). */
export const ALLOWED_JOSE_ALGS = ['EdDSA', 'ES256', 'ES384'] as const;
// Header parameters we understand and may appear in `crit` (none today: b64=false etc. are refused).
const UNDERSTOOD_CRIT: readonly string[] = [];

/**
 * Verify a compact `vc+jwt` / `vp+jwt`: header policy (alg, typ, crit, kid), the kid's DID equal to the
 * issuer (or holder) and listed under the right relationship, `iss` consistent, then the signature.
 */
export async function verifyJose(ctx: CheckContext, controller: string | undefined): Promise<CheckOutcome> {
  const { subject, options } = ctx;
  const jws = subject.jws!;
  const { header } = jws;
  const isVp = subject.kind === 'presentation';
  const expectedTyp = isVp ? 'vp+jwt' : 'vc+jwt';
  if (typeof header.alg !== 'string' || !(ALLOWED_JOSE_ALGS as readonly string[]).includes(header.alg)) {
    return failed('JOSE_ALG_NOT_ALLOWED', `JWS alg ${JSON.stringify(header.alg)} is not accepted (${ALLOWED_JOSE_ALGS.join(', ')}).`);
  }
  // `typ` "vc+jwt" and "application/vc+jwt" are one media type (RFC 7515 §4.1.9). VC-JOSE-COSE
  // only RECOMMENDS typ, and its own example omits it, so a header without one is accepted when
  // nothing else (cty, SD-JWT claims) marks another kind of JWT; the payload is then judged by the
  // format check like any other. A typ that is present must name this media type.
  if (header.typ === undefined) {
    const mismatch = untypedJoseMismatch(subject);
    if (mismatch) return failed('JOSE_TYP_INVALID', `The JWS has no typ, and ${mismatch}: it is not a ${expectedTyp}.`);
  } else if (joseMediaType(header.typ) !== JOSE_MEDIA_TYPE[subject.kind]) {
    return failed('JOSE_TYP_INVALID', `JWS typ must be ${expectedTyp}, got ${JSON.stringify(header.typ)}.`);
  }
  if (header.crit !== undefined) {
    const crit = Array.isArray(header.crit) ? header.crit : [header.crit];
    const unknown = crit.filter((c) => typeof c !== 'string' || !UNDERSTOOD_CRIT.includes(c));
    if (unknown.length > 0 || crit.length === 0) return failed('JOSE_CRIT_UNSUPPORTED', `Unsupported critical header parameter(s): ${JSON.stringify(unknown)}.`);
  }
  if (header.b64 !== undefined) return failed('JOSE_CRIT_UNSUPPORTED', 'The b64 header parameter is not supported.');
  const iss = subject.document.iss;
  if (iss !== undefined && iss !== controller) {
    return failed('JOSE_ISS_MISMATCH', `JWT iss ${JSON.stringify(iss)} differs from the ${isVp ? 'holder' : 'issuer'} ${String(controller)}.`);
  }
  const kid = header.kid;
  if (typeof kid !== 'string' || !kid.startsWith('did:') || !kid.includes('#')) {
    return failed('JOSE_KID_MISMATCH', 'JWS kid must be a DID URL of the signer.');
  }
  if (kid.slice(0, kid.indexOf('#')) !== controller) {
    return failed('JOSE_KID_MISMATCH', `JWS kid ${kid} does not name ${String(controller)}.`);
  }
  const auth = await authorizeMethod(options, kid, controller, isVp ? 'authentication' : 'assertionMethod');
  if ('outcome' in auth) return auth.outcome;
  try {
    const jwk = await verificationMethodToJwk(auth.vm);
    const key = await importJWK(jwk, header.alg);
    await compactVerify(jws.compact, key, { algorithms: [...ALLOWED_JOSE_ALGS], crit: {} });
  } catch (err) {
    return failed('PROOF_VERIFICATION_ERROR', `JWS signature did not verify: ${(err as Error).message}`, { kid });
  }
  return passed(`${expectedTyp} signature verified with ${kid}.`, { verificationMethods: [kid], alg: header.alg });
}

import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { assertPublicJwk, verificationMethodToJwk, type DidResolver, type PublicJwk } from '../did/index.js';
import { OAuthError } from './errors.js';
import { PROOF_ALGS } from './configurations.js';

/** What a verified key proof establishes. */
export interface VerifiedProof {
  /** The holder's DID: the kid's DID, or did:jwk of the `jwk` header. */
  holder: string;
  jwk: PublicJwk;
  binding: 'kid' | 'jwk';
  nonce: string;
}

const PROOF_TYP = 'openid4vci-proof+jwt';
// Which key type each accepted algorithm needs; an EdDSA header on a P-256 key is refused.
const ALG_KEY: Record<string, { kty: string; crv: string }> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
};

const invalid = (description: string) => new OAuthError('invalid_proof', description);

/** did:jwk of a public JWK (only its required members, RFC 7638 order, so the DID is stable). */
export function didJwkOf(jwk: PublicJwk): string {
  const minimal = jwk.kty === 'OKP' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return `did:jwk:${Buffer.from(JSON.stringify(minimal), 'utf8').toString('base64url')}`;
}

async function keyFromHeader(header: Record<string, unknown>, resolver: DidResolver): Promise<{ jwk: PublicJwk; holder: string; binding: 'kid' | 'jwk' }> {
  const hasKid = header.kid !== undefined;
  const hasJwk = header.jwk !== undefined;
  if (header.x5c !== undefined || header.trust_chain !== undefined || header.key_attestation !== undefined) {
    throw invalid('Only "kid" (did:key / did:jwk DID URL) or "jwk" key references are supported.');
  }
  if (hasKid === hasJwk) throw invalid('The proof header must carry exactly one of "kid" or "jwk".');
  if (hasJwk) {
    let jwk: PublicJwk;
    try {
      jwk = assertPublicJwk(header.jwk);
    } catch (err) {
      throw invalid(`The "jwk" header is not a usable public key: ${(err as Error).message}`);
    }
    return { jwk, holder: didJwkOf(jwk), binding: 'jwk' };
  }
  const kid = header.kid;
  if (typeof kid !== 'string' || !/^did:(key|jwk):[^#]+#.+$/.test(kid)) {
    throw invalid('"kid" must be a did:key or did:jwk DID URL with a fragment.');
  }
  try {
    const vm = await resolver.getVerificationMethod(kid, 'authentication');
    return { jwk: await verificationMethodToJwk(vm), holder: kid.slice(0, kid.indexOf('#')), binding: 'kid' };
  } catch (err) {
    throw invalid(`The "kid" could not be resolved to an authentication key: ${(err as Error).message}`);
  }
}

/**
 * Verify an `openid4vci-proof+jwt` key proof (OID4VCI 1.0 §8.2.1.1): typ, an allowed
 * asymmetric alg matching the key, the signature, `aud` = our credential issuer id, `iat`
 * inside the window, and a `nonce` (returned, consumed by the caller once the proof holds).
 */
export async function verifyKeyProof(jwt: unknown, opts: { audience: string; now: Date; iatWindowSeconds: number; resolver: DidResolver }): Promise<VerifiedProof> {
  if (typeof jwt !== 'string' || jwt.length > 16_384) throw invalid('The proof must be a compact JWT.');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
  } catch {
    throw invalid('The proof is not a decodable JWT.');
  }
  if (header.typ !== PROOF_TYP) throw invalid(`The proof "typ" must be "${PROOF_TYP}".`);
  const alg = header.alg;
  if (typeof alg !== 'string' || !(PROOF_ALGS as readonly string[]).includes(alg)) {
    throw invalid(`Proof algorithm ${JSON.stringify(alg)} is not accepted; use one of ${PROOF_ALGS.join(', ')}.`);
  }
  const { jwk, holder, binding } = await keyFromHeader(header, opts.resolver);
  const want = ALG_KEY[alg]!;
  if (jwk.kty !== want.kty || jwk.crv !== want.crv) throw invalid(`Algorithm ${alg} does not match the ${jwk.crv} key.`);
  let payload: Record<string, unknown>;
  try {
    const key = await importJWK(jwk as JWK, alg);
    ({ payload } = await jwtVerify(jwt, key, { algorithms: [alg], typ: PROOF_TYP, currentDate: opts.now, clockTolerance: opts.iatWindowSeconds }));
  } catch (err) {
    throw invalid(`The proof signature or claims do not verify: ${(err as Error).message}`);
  }
  const aud = payload.aud;
  if (!(aud === opts.audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === opts.audience))) {
    throw invalid(`The proof "aud" must be the credential issuer ${opts.audience}.`);
  }
  if (typeof payload.iat !== 'number' || Math.abs(opts.now.getTime() / 1000 - payload.iat) > opts.iatWindowSeconds) {
    throw invalid(`The proof "iat" must be within ${opts.iatWindowSeconds} s of the issuer's clock.`);
  }
  if (typeof payload.nonce !== 'string' || payload.nonce.length === 0) {
    throw new OAuthError('invalid_nonce', 'The proof must carry a "nonce" from the nonce endpoint.');
  }
  return { holder, jwk, binding, nonce: payload.nonce };
}

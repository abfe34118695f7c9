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
    } catch {
      // A fixed text: the library's message would repeat the client's kty/crv.
      throw invalid('The "jwk" header must be a public Ed25519, P-256 or P-384 key, without private members.');
    }
    return { jwk, holder: didJwkOf(jwk), binding: 'jwk' };
  }
  const kid = header.kid;
  // A DID URL with a fragment names the key; a bare did:key / did:jwk names it too, as each of
  // those DID documents has exactly one verification method (some wallets send the DID alone).
  if (typeof kid !== 'string' || !/^did:(key|jwk):[^#]+(#.+)?$/.test(kid)) {
    throw invalid('"kid" must be a did:key or did:jwk DID, or a DID URL of one with a fragment.');
  }
  const hash = kid.indexOf('#');
  const holder = hash === -1 ? kid : kid.slice(0, hash);
  try {
    const methodId = hash === -1 ? await soleAuthenticationMethod(kid, resolver) : kid;
    const vm = await resolver.getVerificationMethod(methodId, 'authentication');
    return { jwk: await verificationMethodToJwk(vm), holder, binding: 'kid' };
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    // The resolver's code says why without repeating the client's DID URL.
    const code = (err as { code?: unknown }).code;
    throw invalid(`The "kid" could not be resolved to an authentication key${typeof code === 'string' && /^[A-Z_]+$/.test(code) ? ` (${code})` : ''}.`);
  }
}

/** The one authentication method of a bare DID's document, as an absolute DID URL. */
async function soleAuthenticationMethod(did: string, resolver: DidResolver): Promise<string> {
  const doc = (await resolver.dereference(did)) as { authentication?: unknown };
  const list = Array.isArray(doc.authentication) ? doc.authentication : [];
  if (list.length !== 1) throw invalid('A bare DID as "kid" must have exactly one authentication key; name the key with a #fragment.');
  const entry = list[0] as unknown;
  const id = typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
  if (typeof id !== 'string') throw invalid('The DID document of "kid" lists an unusable authentication key.');
  return id.startsWith('#') ? `${did}${id}` : id;
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
    throw invalid(`The proof algorithm is not accepted; use one of ${PROOF_ALGS.join(', ')}.`);
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
  // A proof without a c_nonce is an invalid proof; invalid_nonce is for a nonce we cannot accept.
  if (typeof payload.nonce !== 'string' || payload.nonce.length === 0) {
    throw invalid('The proof must carry a "nonce" from the nonce endpoint.');
  }
  return { holder, jwk, binding, nonce: payload.nonce };
}

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { DidError } from './errors.js';

/** Public key algorithms the resolver understands. */
export type PublicKeyAlgorithm = 'Ed25519' | 'P-256' | 'P-384';

/** Public-only JWK (RFC 7517) as used by jose and did:jwk. */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: PublicKeyAlgorithm;
  x: string;
  y?: string;
  [k: string]: unknown;
}

// Members that carry private or symmetric key material (RFC 7518 §6).
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const B64URL = /^[A-Za-z0-9_-]+$/;

/** Algorithm of a multibase (base58btc, multicodec-prefixed) public key, from its well-known prefix. */
export function multikeyAlgorithm(publicKeyMultibase: string): PublicKeyAlgorithm | null {
  if (publicKeyMultibase.startsWith('z6Mk')) return 'Ed25519';
  if (publicKeyMultibase.startsWith('zDn')) return 'P-256';
  if (publicKeyMultibase.startsWith('z82')) return 'P-384';
  return null;
}

/** Check a JWK is a supported public key with no private members; returns a clean copy. */
export function assertPublicJwk(jwk: unknown): PublicJwk {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new DidError('DID_DOCUMENT_INVALID', 'JWK must be a JSON object.');
  }
  const j = jwk as Record<string, unknown>;
  for (const m of PRIVATE_MEMBERS) {
    if (m in j) throw new DidError('DID_DOCUMENT_INVALID', `JWK must not contain private member "${m}".`);
  }
  const okp = j.kty === 'OKP' && j.crv === 'Ed25519';
  const ec = j.kty === 'EC' && (j.crv === 'P-256' || j.crv === 'P-384');
  if (!okp && !ec) throw new DidError('DID_DOCUMENT_INVALID', `Unsupported JWK kty/crv ${String(j.kty)}/${String(j.crv)}.`);
  if (typeof j.x !== 'string' || !B64URL.test(j.x)) throw new DidError('DID_DOCUMENT_INVALID', 'JWK "x" must be base64url.');
  if (ec && (typeof j.y !== 'string' || !B64URL.test(j.y))) throw new DidError('DID_DOCUMENT_INVALID', 'EC JWK "y" must be base64url.');
  const size = j.crv === 'P-384' ? 48 : 32;
  const len = (s: unknown): number => Buffer.from(String(s), 'base64url').length;
  if (len(j.x) !== size || (ec && len(j.y) !== size)) {
    throw new DidError('DID_DOCUMENT_INVALID', `JWK coordinates must be ${size} bytes for ${String(j.crv)}.`);
  }
  return { ...(j as PublicJwk) };
}

/** Multikey (publicKeyMultibase) → public JWK for Ed25519, P-256 and P-384; validates the key. */
export async function multikeyToJwk(publicKeyMultibase: string): Promise<PublicJwk> {
  const alg = multikeyAlgorithm(publicKeyMultibase);
  try {
    if (alg === 'Ed25519') {
      const kp = await Ed25519Multikey.from({ type: 'Multikey', publicKeyMultibase });
      return assertPublicJwk(await Ed25519Multikey.toJwk({ keyPair: kp }));
    }
    if (alg === 'P-256' || alg === 'P-384') {
      const kp = await EcdsaMultikey.from({ type: 'Multikey', publicKeyMultibase });
      const { kty, crv, x, y } = await EcdsaMultikey.toJwk({ keyPair: kp });
      return assertPublicJwk({ kty, crv, x, y });
    }
  } catch (err) {
    if (err instanceof DidError) throw err;
    throw new DidError('DID_DOCUMENT_INVALID', 'Malformed multibase public key.', { cause: err });
  }
  throw new DidError('DID_DOCUMENT_INVALID', 'Unsupported multikey type (only Ed25519, P-256, P-384).');
}

/** Public JWK of a verification method (Multikey, Ed25519VerificationKey2020, JsonWebKey/JsonWebKey2020). */
export async function verificationMethodToJwk(vm: Record<string, unknown>): Promise<PublicJwk> {
  if (vm.publicKeyJwk !== undefined) return assertPublicJwk(vm.publicKeyJwk);
  if (typeof vm.publicKeyMultibase === 'string') return multikeyToJwk(vm.publicKeyMultibase);
  throw new DidError('DID_DOCUMENT_INVALID', `Verification method ${String(vm.id)} has no usable public key.`);
}

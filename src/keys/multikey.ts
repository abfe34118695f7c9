import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { InternalError } from '../errors.js';
import type { KeyAlgorithm, PublicJwk } from './types.js';

const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

/** A key pair object of either multikey library, kept opaque outside this folder. */
export type LibKeyPair = Ed25519Multikey.Ed25519KeyPair | EcdsaMultikey.EcdsaKeyPair;

/** Import a Multikey (public, or with secretKeyMultibase) with the library of its algorithm. */
export async function importMultikey(algorithm: KeyAlgorithm, key: { id?: string; controller?: string; publicKeyMultibase: string; secretKeyMultibase?: string }): Promise<LibKeyPair> {
  const doc = { '@context': MULTIKEY_V1, type: 'Multikey', ...key };
  try {
    return algorithm === 'Ed25519' ? await Ed25519Multikey.from(doc) : await EcdsaMultikey.from(doc);
  } catch (err) {
    throw new InternalError('KEY_INVALID', `Invalid ${algorithm} Multikey.`, 500, { cause: err });
  }
}

/** Public JWK of a key pair, reduced to kty/crv/x(/y) (WebCrypto adds key_ops and ext). */
export async function publicJwkOf(algorithm: KeyAlgorithm, keyPair: LibKeyPair): Promise<PublicJwk> {
  if (algorithm === 'Ed25519') {
    const jwk = await Ed25519Multikey.toJwk({ keyPair, secretKey: false });
    return { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x) };
  }
  const jwk = await EcdsaMultikey.toJwk({ keyPair, secretKey: false });
  return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) };
}

/** Public JWK for a `publicKeyMultibase` (verifiers use it to check vc+jwt against a Multikey method). */
export async function publicJwkFromMultibase(algorithm: KeyAlgorithm, publicKeyMultibase: string): Promise<PublicJwk> {
  return publicJwkOf(algorithm, await importMultikey(algorithm, { publicKeyMultibase }));
}

/** Key algorithm of a publicKeyMultibase from its multicodec prefix (z6Mk… Ed25519, zDn… P-256). */
export function algorithmOfMultibase(publicKeyMultibase: string): KeyAlgorithm {
  if (publicKeyMultibase.startsWith('z6Mk')) return 'Ed25519';
  if (publicKeyMultibase.startsWith('zDn')) return 'P-256';
  throw new InternalError('KEY_INVALID', 'Unsupported publicKeyMultibase (expected Ed25519 or P-256).');
}

/** Private JWK used only to build a node:crypto KeyObject inside loadSigner. */
export async function privateJwkOf(algorithm: KeyAlgorithm, keyPair: LibKeyPair): Promise<Record<string, string>> {
  if (algorithm === 'Ed25519') {
    // The library keeps the 64-byte seed||public form; a JWK `d` is the 32-byte seed.
    const raw = (await keyPair.export({ publicKey: true, secretKey: true, raw: true, canonicalize: true } as never)) as { publicKey: Uint8Array; secretKey: Uint8Array };
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw.publicKey).toString('base64url'), d: Buffer.from(raw.secretKey).toString('base64url') };
  }
  const jwk = await EcdsaMultikey.toJwk({ keyPair, secretKey: true });
  return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y), d: String(jwk.d) };
}

import { createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { InternalError } from '../errors.js';
import { decryptSecret } from './encryption.js';
import { importMultikey, privateJwkOf } from './multikey.js';
import type { JwsAlgorithm, KeyAlgorithm, KeyRecord, MultikeyDocument, PublicJwk, Signer } from './types.js';

/** A Signer loaded from a KeyRecord: signs (raw and JWS) and tells its public key, never its secret. */
export interface InstitutionSigner extends Signer {
  readonly jwsAlgorithm: JwsAlgorithm;
  readonly controller: string;
  /** Public Multikey verification method, as listed in the DID document. */
  readonly multikey: MultikeyDocument;
  readonly publicJwk: PublicJwk;
  signJws(protectedHeader: Record<string, unknown> & { alg: JwsAlgorithm }, payload: Uint8Array): Promise<string>;
}

/** JOSE algorithm for a key algorithm. */
export function jwsAlgorithmFor(algorithm: KeyAlgorithm): JwsAlgorithm {
  return algorithm === 'Ed25519' ? 'EdDSA' : 'ES256';
}

/**
 * Decrypt a KeyRecord under `kek` and return a Signer. The key material lives only in this
 * closure. JWS signing goes through jose's CompactSign with a node:crypto KeyObject (rather
 * than assembling a JWS from sign()): jose owns the encoding and checks that alg and key
 * agree, so no JOSE logic is hand-written here.
 */
export async function loadSigner(record: KeyRecord, kek: Uint8Array): Promise<InstitutionSigner> {
  const secretKeyMultibase = decryptSecret(record.encryptedPrivateKey, kek, record.id).toString('utf8');
  const keyPair = await importMultikey(record.algorithm, {
    id: record.id, controller: record.controller, publicKeyMultibase: record.publicKeyMultibase, secretKeyMultibase,
  });
  const rawSigner = keyPair.signer();
  if (rawSigner.algorithm !== record.algorithm) {
    throw new InternalError('KEY_INVALID', 'Stored key algorithm does not match its material.');
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: await privateJwkOf(record.algorithm, keyPair), format: 'jwk' });
  } catch (err) {
    throw new InternalError('KEY_INVALID', 'Stored key could not be imported.', 500, { cause: err });
  }
  const jwsAlgorithm = jwsAlgorithmFor(record.algorithm);
  const multikey: MultikeyDocument = Object.freeze({
    id: record.id, type: 'Multikey', controller: record.controller, publicKeyMultibase: record.publicKeyMultibase,
  });
  const publicJwk = Object.freeze({ ...record.publicJwk });

  const signer: InstitutionSigner = {
    id: record.id,
    algorithm: record.algorithm,
    jwsAlgorithm,
    controller: record.controller,
    multikey,
    publicJwk,
    async sign({ data }) {
      // Ed25519 is deterministic (RFC 8032): signing with the KeyObject imported once gives the
      // library signer's exact bytes without re-importing the private key on every signature.
      if (record.algorithm === 'Ed25519') return new Uint8Array(cryptoSign(null, data, keyObject));
      return rawSigner.sign({ data });
    },
    async signJws(protectedHeader, payload) {
      if (protectedHeader.alg !== jwsAlgorithm) {
        throw new InternalError('KEY_ALGORITHM_MISMATCH', `Key ${record.id} signs ${jwsAlgorithm}, not ${String(protectedHeader.alg)}.`);
      }
      return new CompactSign(payload).setProtectedHeader(protectedHeader).sign(keyObject);
    },
  };
  return Object.freeze(signer);
}

import type { DIDDocument, JsonWebKey } from 'did-resolver';
import { DidError } from './errors.js';
import { assertPublicJwk } from './key-codec.js';

const DID_V1 = 'https://www.w3.org/ns/did/v1';
const B64URL = /^[A-Za-z0-9_-]+$/;
const JWS_2020_V1 = 'https://w3id.org/security/suites/jws-2020/v1';

/** did:jwk → DID document with one JsonWebKey2020 method `#0` (did:jwk spec); private JWKs are refused. */
export async function resolveDidJwk(did: string): Promise<DIDDocument> {
  const encoded = did.slice('did:jwk:'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) {
    throw new DidError('DID_INVALID', 'did:jwk must carry a base64url-encoded JWK.', { detail: { did } });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (err) {
    throw new DidError('DID_INVALID', 'did:jwk does not decode to JSON.', { detail: { did }, cause: err });
  }
  let jwk: JsonWebKey;
  try {
    jwk = isX25519(parsed) ? assertX25519Jwk(parsed) : assertPublicJwk(parsed);
  } catch (err) {
    throw new DidError('DID_INVALID', `did:jwk carries an unusable JWK: ${(err as Error).message}`, { detail: { did }, cause: err });
  }
  const vmId = `${did}#0`;
  const doc: DIDDocument = {
    '@context': [DID_V1, JWS_2020_V1],
    id: did,
    verificationMethod: [{ id: vmId, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk }],
  };
  // The spec lists signing relationships unless use is "enc", and keyAgreement unless use is "sig".
  // X25519 cannot sign, whatever its "use" says, and Ed25519 cannot agree keys.
  if (jwk.use !== 'enc' && jwk.crv !== 'X25519') {
    Object.assign(doc, { assertionMethod: [vmId], authentication: [vmId], capabilityInvocation: [vmId], capabilityDelegation: [vmId] });
  }
  if (jwk.use !== 'sig' && jwk.crv !== 'Ed25519') doc.keyAgreement = [vmId];
  return doc;
}

const isX25519 = (v: unknown): boolean => typeof v === 'object' && v !== null && (v as Record<string, unknown>).crv === 'X25519';

/**
 * A public X25519 JWK (RFC 8037): the did:jwk spec's own key-agreement example. It only ever
 * becomes a keyAgreement method; signature checks never accept it (assertPublicJwk refuses it).
 */
function assertX25519Jwk(v: unknown): { kty: 'OKP'; crv: 'X25519'; x: string; [k: string]: unknown } {
  const j = v as Record<string, unknown>;
  if (j.kty !== 'OKP') throw new DidError('DID_DOCUMENT_INVALID', 'An X25519 JWK must have kty "OKP".');
  if ('d' in j) throw new DidError('DID_DOCUMENT_INVALID', 'JWK must not contain private member "d".');
  if (typeof j.x !== 'string' || !B64URL.test(j.x) || Buffer.from(j.x, 'base64url').length !== 32) {
    throw new DidError('DID_DOCUMENT_INVALID', 'X25519 JWK "x" must be 32 bytes, base64url.');
  }
  return { ...j, kty: 'OKP', crv: 'X25519', x: j.x };
}

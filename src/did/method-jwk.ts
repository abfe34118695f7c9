import type { DIDDocument } from 'did-resolver';
import { DidError } from './errors.js';
import { assertPublicJwk } from './key-codec.js';

const DID_V1 = 'https://www.w3.org/ns/did/v1';
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
  let jwk;
  try {
    jwk = assertPublicJwk(parsed);
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
  if (jwk.use !== 'enc') {
    Object.assign(doc, { assertionMethod: [vmId], authentication: [vmId], capabilityInvocation: [vmId], capabilityDelegation: [vmId] });
  }
  if (jwk.use !== 'sig' && jwk.crv !== 'Ed25519') doc.keyAgreement = [vmId];
  return doc;
}

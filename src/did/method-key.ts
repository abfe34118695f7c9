import type { DIDDocument } from 'did-resolver';
import { DidError } from './errors.js';
import { multikeyAlgorithm, multikeyToJwk } from './key-codec.js';

const DID_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

/** did:key (Ed25519 z6Mk…, P-256 zDn…, P-384 z82…) → DID document with one Multikey method. */
export async function resolveDidKey(did: string): Promise<DIDDocument> {
  const mb = did.slice('did:key:'.length);
  if (!/^z[1-9A-HJ-NP-Za-km-z]+$/.test(mb) || multikeyAlgorithm(mb) === null) {
    throw new DidError('DID_INVALID', 'did:key must carry a base58btc Ed25519, P-256 or P-384 multikey.', { detail: { did } });
  }
  try {
    await multikeyToJwk(mb); // validates length and curve point
  } catch (err) {
    throw new DidError('DID_INVALID', 'did:key carries a malformed public key.', { detail: { did }, cause: err });
  }
  const vmId = `${did}#${mb}`;
  return {
    '@context': [DID_V1, MULTIKEY_V1],
    id: did,
    verificationMethod: [{ id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: mb }],
    authentication: [vmId],
    assertionMethod: [vmId],
    capabilityInvocation: [vmId],
    capabilityDelegation: [vmId],
  };
}

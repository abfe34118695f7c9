import type { DIDDocument, VerificationMethod } from 'did-resolver';
import { DidError } from './errors.js';
import type { DereferencedMethod, VerificationRelationshipName } from './types.js';

/**
 * The verification method `didUrl` names in `doc`, as a standalone document carrying the DID
 * document's @context; with `relationship`, it must also be listed there (by reference or embedded).
 */
export function findVerificationMethod(doc: DIDDocument, didUrl: string, relationship?: VerificationRelationshipName): DereferencedMethod {
  const embedded = (list: unknown): VerificationMethod[] =>
    Array.isArray(list) ? list.filter((e): e is VerificationMethod => typeof e === 'object' && e !== null) : [];
  const candidates = [
    ...embedded(doc.verificationMethod),
    ...(['authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation'] as const).flatMap((r) => embedded(doc[r])),
  ];
  const vm = candidates.find((c) => c.id === didUrl);
  if (!vm) throw new DidError('DID_URL_NOT_FOUND', `${didUrl} is not a verification method of ${doc.id}.`, { detail: { didUrl } });
  if (relationship) {
    const listed = (doc[relationship] ?? []).some((e) => (typeof e === 'string' ? e : e.id) === didUrl);
    if (!listed) {
      throw new DidError('DID_URL_NOT_FOUND', `${didUrl} is not listed under ${relationship} of ${doc.id}.`, { detail: { didUrl, relationship } });
    }
  }
  const out: DereferencedMethod = { ...structuredClone(vm) };
  if (doc['@context'] !== undefined) out['@context'] = structuredClone(doc['@context']);
  return out;
}

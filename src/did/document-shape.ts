import type { DIDDocument } from 'did-resolver';
import { DidError } from './errors.js';

const RELATIONSHIPS = ['authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation'] as const;

function absolutize(did: string, id: string): string {
  return id.startsWith('#') ? `${did}${id}` : id;
}

/**
 * Check the parts of a fetched DID document verifiers rely on (id equals the DID, well-formed
 * verification methods) and return a copy with relative method ids made absolute.
 */
export function normalizeDidDocument(did: string, raw: unknown): DIDDocument {
  const bad = (why: string): DidError => new DidError('DID_DOCUMENT_INVALID', `DID document invalid: ${why}.`, { detail: { did } });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('not a JSON object');
  const doc = structuredClone(raw) as Record<string, unknown>;
  if (doc.id !== did) throw bad(`id ${JSON.stringify(doc.id)} does not equal the DID`);
  const vms = doc.verificationMethod ?? [];
  if (!Array.isArray(vms)) throw bad('verificationMethod must be an array');
  const fixMethod = (vm: unknown): Record<string, unknown> => {
    if (typeof vm !== 'object' || vm === null) throw bad('verification method must be an object');
    const v = vm as Record<string, unknown>;
    if (typeof v.id !== 'string' || typeof v.type !== 'string' || typeof v.controller !== 'string') {
      throw bad('verification method needs string id, type and controller');
    }
    return { ...v, id: absolutize(did, v.id) };
  };
  doc.verificationMethod = vms.map(fixMethod);
  for (const rel of RELATIONSHIPS) {
    const list = doc[rel];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw bad(`${rel} must be an array`);
    doc[rel] = list.map((e: unknown) => (typeof e === 'string' ? absolutize(did, e) : fixMethod(e)));
  }
  return doc as DIDDocument;
}

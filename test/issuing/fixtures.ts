import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDidWebDocument, type IssuerDidDocument } from '../../src/did/document.js';
import { createDocumentLoader, type DocumentLoader } from '../../src/jsonld/index.js';
import { keyRecordFromSecret, loadSigner, type InstitutionSigner, type KeyRecord } from '../../src/keys/index.js';

/** Fixed test keys and issuer (test/vectors/keys.json). */
export const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../vectors/keys.json', import.meta.url)), 'utf8')) as {
  kekHex: string;
  issuerDid: string;
  createdAt: string;
  ed25519: { fragment: string; publicKeyMultibase: string; secretKeyMultibase: string };
  p256: { fragment: string; publicKeyMultibase: string; secretKeyMultibase: string };
};

export const KEK = Buffer.from(vectors.kekHex, 'hex');
export const ISSUER = vectors.issuerDid;
export const NOW = new Date('2025-03-01T12:00:00Z');
export const now = (): Date => new Date(NOW);
let counter = 0;
/** Deterministic UUIDs for tests. */
export const newId = (): string => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export interface Fixture {
  records: { ed25519: KeyRecord; p256: KeyRecord };
  signers: { ed25519: InstitutionSigner; p256: InstitutionSigner };
  didDocument: IssuerDidDocument;
  documentLoader: DocumentLoader;
}

/** Dereference our test DID the way the real resolver does: DID → document, DID URL → method with @context. */
export function resolveFrom(doc: IssuerDidDocument) {
  return async (didUrl: string): Promise<object> => {
    const [did, fragment] = didUrl.split('#');
    if (did !== doc.id) throw new Error(`unknown DID ${did}`);
    if (fragment === undefined) return doc;
    const vm = doc.verificationMethod.find((m) => m.id === didUrl);
    if (!vm) throw new Error(`unknown method ${didUrl}`);
    return { '@context': doc['@context'], ...vm };
  };
}

/** Keys, signers, DID document and document loader built from the fixed vectors. */
export async function makeFixture(): Promise<Fixture> {
  const at = () => new Date(vectors.createdAt);
  const ed25519 = await keyRecordFromSecret({ algorithm: 'Ed25519', controller: ISSUER, fragment: vectors.ed25519.fragment, kek: KEK, now: at, publicKeyMultibase: vectors.ed25519.publicKeyMultibase, secretKeyMultibase: vectors.ed25519.secretKeyMultibase });
  const p256 = await keyRecordFromSecret({ algorithm: 'P-256', controller: ISSUER, fragment: vectors.p256.fragment, kek: KEK, now: at, publicKeyMultibase: vectors.p256.publicKeyMultibase, secretKeyMultibase: vectors.p256.secretKeyMultibase });
  const didDocument = buildDidWebDocument({ did: ISSUER, keys: [ed25519, p256] });
  return {
    records: { ed25519, p256 },
    signers: { ed25519: await loadSigner(ed25519, KEK), p256: await loadSigner(p256, KEK) },
    didDocument,
    documentLoader: createDocumentLoader({ resolveDid: resolveFrom(didDocument) }),
  };
}

/** A small VC 2.0 credential (no issuer/id/validFrom: prepare fills them). */
export function smallV2(): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    type: ['VerifiableCredential', 'ExampleAlumniCredential'],
    credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', alumniOf: { id: 'did:example:c276e12ec21ebfeb1f712ebc6f1', name: 'Example University' } },
  };
}

/** A small VC 1.1 credential. */
export function smallV1(): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
    type: ['VerifiableCredential', 'UniversityDegreeCredential'],
    credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' } },
  };
}

/** The official ELM Annex I micro-credential sample with its issuer re-identified as our DID. */
export function annexSample(): Record<string, unknown> {
  const path = fileURLToPath(new URL('../../../shared/reference/edc/elm/samples/Sample-MC-Annex1-unsigned.jsonld', import.meta.url));
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return { ...doc, issuer: { ...(doc.issuer as Record<string, unknown>), id: ISSUER } };
}

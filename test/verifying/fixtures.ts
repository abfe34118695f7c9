import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { CompactSign, importJWK } from 'jose';
import { createDocumentLoader } from '../../src/jsonld/index.js';
import { signDataIntegrity } from '../../src/issuing/index.js';
import { createResolver, type DidDocument } from '../../src/did/index.js';
import type { DataIntegritySuite } from '../../src/issuing/index.js';
import type { Signer } from '../../src/keys/index.js';

export const ISSUER = 'did:web:issuer.test:issuers:acme';
export const NOW = new Date('2025-06-01T12:00:00Z');
export const now = (): Date => NOW;

// ed25519-multikey keeps the 64-byte (seed || public) secret key; a JWK "d" is the 32-byte seed.
async function edJwk(kp: Ed25519Multikey.Ed25519KeyPair): Promise<Record<string, unknown>> {
  const pub = await Ed25519Multikey.toJwk({ keyPair: kp });
  return { ...pub, d: Buffer.from(kp.secretKey!.slice(0, 32)).toString('base64url') };
}

const seed = (n: number): Uint8Array => new Uint8Array(32).fill(n);

/** Fixed test keys: issuer Ed25519 (#key-1), P-256 (#key-2), an authentication-only key (#auth-1), a holder did:key and a stranger. */
export async function makeWorld() {
  const ed = await Ed25519Multikey.generate({ seed: seed(1), controller: ISSUER, id: `${ISSUER}#key-1` });
  const p256 = await EcdsaMultikey.generate({ curve: 'P-256', controller: ISSUER, id: `${ISSUER}#key-2` });
  const authOnly = await Ed25519Multikey.generate({ seed: seed(3), controller: ISSUER, id: `${ISSUER}#auth-1` });
  const holderKp = await Ed25519Multikey.generate({ seed: seed(4) });
  const holder = `did:key:${holderKp.publicKeyMultibase}`;
  const holderVm = `${holder}#${holderKp.publicKeyMultibase}`;
  const stranger = await Ed25519Multikey.generate({ seed: seed(5) });
  const strangerDid = `did:key:${stranger.publicKeyMultibase}`;

  const vm = (kp: { id?: string; publicKeyMultibase?: string }) => ({ id: kp.id!, type: 'Multikey', controller: ISSUER, publicKeyMultibase: kp.publicKeyMultibase! });
  const issuerDoc: DidDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: ISSUER,
    verificationMethod: [vm(ed), vm(p256), vm(authOnly)],
    assertionMethod: [ed.id!, p256.id!],
    authentication: [authOnly.id!],
  };
  const resolver = createResolver({
    fetch: (() => Promise.reject(new Error('tests never touch the network'))) as typeof fetch,
    resolveOwn: async (did) => (did === ISSUER ? issuerDoc : null),
  });
  const documentLoader = createDocumentLoader({ resolveDid: (u) => resolver.dereference(u) });
  const signer = (kp: { signer(): { id?: string; algorithm: string; sign(i: { data: Uint8Array }): Promise<Uint8Array> } }, id: string): Signer => {
    const s = kp.signer();
    return { id, algorithm: s.algorithm as Signer['algorithm'], sign: (i) => s.sign(i) };
  };
  const signers = {
    ed: signer(ed, ed.id!),
    p256: signer(p256, p256.id!),
    authOnly: signer(authOnly, authOnly.id!),
    holder: signer(holderKp, holderVm),
    stranger: signer(stranger, `${strangerDid}#${stranger.publicKeyMultibase}`),
  };
  const jwks = {
    ed: await edJwk(ed),
    p256: { ...(await EcdsaMultikey.toJwk({ keyPair: p256, secretKey: true })) },
    holder: await edJwk(holderKp),
    stranger: await edJwk(stranger),
  };
  return { issuerDoc, resolver, documentLoader, signers, jwks, holder, holderVm, strangerDid };
}
export type World = Awaited<ReturnType<typeof makeWorld>>;

/** A VC 2.0 credential about the holder. */
export function v2Credential(holder: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    id: 'urn:uuid:5f1c7b2e-1111-4a55-9a0d-6a3a9d0c0001',
    type: ['VerifiableCredential', 'ExampleAchievementCredential'],
    issuer: ISSUER,
    validFrom: '2025-01-01T00:00:00Z',
    validUntil: '2030-01-01T00:00:00Z',
    credentialSubject: { id: holder, name: 'Ada' },
    ...extra,
  };
}

/** A VC 1.1 credential (suite context added by the signer). */
export function v1Credential(holder: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    id: 'urn:uuid:5f1c7b2e-1111-4a55-9a0d-6a3a9d0c0002',
    type: ['VerifiableCredential'],
    issuer: { id: ISSUER },
    issuanceDate: '2025-01-01T00:00:00Z',
    credentialSubject: { id: holder },
    ...extra,
  };
}

/** Sign with one Data Integrity suite through the issuing module. */
export function signDi(w: World, credential: Record<string, unknown>, suite: DataIntegritySuite, signer?: Signer): Promise<Record<string, unknown>> {
  const s = signer ?? (suite === 'ecdsa-rdfc-2019' ? w.signers.p256 : w.signers.ed);
  return signDataIntegrity(credential, { suite, signer: s, documentLoader: w.documentLoader, now });
}

/** Compact JWS with any header (including bad ones) signed with a test key. */
export async function signJwt(payload: Record<string, unknown>, header: Record<string, unknown>, jwk: Record<string, unknown>): Promise<string> {
  const alg = String(header.alg);
  const key = await importJWK(jwk as never, alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as never).sign(key);
}

/** Hand-assemble a JWS with an arbitrary header and signature (for alg none/HS256). */
export function rawJws(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  const b = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b(header)}.${b(payload)}.${signature}`;
}

import { BadRequestError, InternalError } from '../errors.js';
import type { PublicKeyInfo } from '../keys/index.js';

const DID_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A did:web document as we publish it. */
export interface IssuerDidDocument {
  '@context': [typeof DID_V1, typeof MULTIKEY_V1];
  id: string;
  verificationMethod: Array<{ id: string; type: 'Multikey'; controller: string; publicKeyMultibase: string }>;
  assertionMethod: string[];
  authentication: string[];
}

/**
 * Build an issuer's DID document: every key (current and rotated-out) as a `Multikey`
 * verification method in assertionMethod and authentication, so old credentials keep verifying.
 * Multikey only, no Ed25519VerificationKey2020 twin: @digitalbazaar/ed25519-signature-2020
 * imports any Multikey via ed25519-multikey and converts it itself, so one method serves
 * eddsa-rdfc-2022, Ed25519Signature2020 and EdDSA JWS.
 */
export function buildDidWebDocument(input: { did: string; keys: readonly PublicKeyInfo[] }): IssuerDidDocument {
  const { did } = input;
  const seen = new Set<string>();
  const verificationMethod = input.keys.map((key) => {
    const id = key.id.startsWith('#') ? `${did}${key.id}` : key.id;
    if (!id.startsWith(`${did}#`) || id.length === did.length + 1) {
      throw new InternalError('DID_KEY_MISMATCH', `Key ${key.id} does not belong to ${did}.`);
    }
    if (seen.has(id)) throw new InternalError('DID_KEY_MISMATCH', `Key ${id} is listed twice.`);
    seen.add(id);
    return { id, type: 'Multikey' as const, controller: did, publicKeyMultibase: key.publicKeyMultibase };
  });
  const ids = verificationMethod.map((vm) => vm.id);
  return { '@context': [DID_V1, MULTIKEY_V1], id: did, verificationMethod, assertionMethod: [...ids], authentication: [...ids] };
}

/**
 * The did:web of an issuer hosted by this service: `did:web:<host%3Aport>[:<base path>]:issuers:<slug>`
 * from the public base URL (the port colon percent-encoded as did:web requires).
 */
export function didWebFromUrl(publicUrl: string, slug: string): string {
  if (!SLUG.test(slug)) {
    throw new BadRequestError('SLUG_INVALID', 'An issuer slug is 1–64 lowercase letters, digits and inner hyphens.', { slug });
  }
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new InternalError('PUBLIC_URL_INVALID', 'The public base URL is not a URL.');
  }
  const host = url.hostname.toLowerCase() + (url.port ? `%3A${url.port}` : '');
  // A base path (service behind a reverse proxy at /x/y) becomes DID path segments x:y.
  const base = url.pathname.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  if (base.some((s) => !/^[A-Za-z0-9._~-]+$/.test(s))) {
    throw new InternalError('PUBLIC_URL_INVALID', 'The public base URL path may use only unreserved characters.');
  }
  return ['did', 'web', host, ...base, 'issuers', slug].join(':');
}

/** Path (below the public base URL) where the DID document of `slug` is served. */
export function didWebDocumentPath(slug: string): string {
  if (!SLUG.test(slug)) {
    throw new BadRequestError('SLUG_INVALID', 'An issuer slug is 1–64 lowercase letters, digits and inner hyphens.', { slug });
  }
  return `/issuers/${slug}/did.json`;
}

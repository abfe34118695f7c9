import { describe, expect, it } from 'vitest';
import { buildDidWebDocument, didWebDocumentPath, didWebFromUrl } from '../../src/did/document.js';
import { didWebToUrl } from '../../src/did/index.js';
import { AppError } from '../../src/errors.js';
import { assertNoDroppedTerms, createDocumentLoader } from '../../src/jsonld/index.js';
import { vectors } from './fixtures.js';

const DID = 'did:web:issuer.example%3A8443:issuers:acme';

describe('buildDidWebDocument', () => {
  it('lists each key as a Multikey in assertionMethod and authentication, and is valid JSON-LD in safe mode', async () => {
    const doc = buildDidWebDocument({
      did: DID,
      keys: [
        { id: `${DID}#key-ed25519-1`, algorithm: 'Ed25519', publicKeyMultibase: vectors.ed25519.publicKeyMultibase },
        { id: '#key-p256-1', algorithm: 'P-256', publicKeyMultibase: vectors.p256.publicKeyMultibase },
      ],
    });
    expect(doc).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: DID,
      verificationMethod: [
        { id: `${DID}#key-ed25519-1`, type: 'Multikey', controller: DID, publicKeyMultibase: vectors.ed25519.publicKeyMultibase },
        { id: `${DID}#key-p256-1`, type: 'Multikey', controller: DID, publicKeyMultibase: vectors.p256.publicKeyMultibase },
      ],
      assertionMethod: [`${DID}#key-ed25519-1`, `${DID}#key-p256-1`],
      authentication: [`${DID}#key-ed25519-1`, `${DID}#key-p256-1`],
    });
    await expect(assertNoDroppedTerms(doc, createDocumentLoader())).resolves.toBeUndefined();
  });

  it('refuses keys of another DID and duplicates', () => {
    const k = { algorithm: 'Ed25519' as const, publicKeyMultibase: vectors.ed25519.publicKeyMultibase };
    for (const keys of [[{ ...k, id: 'did:web:other.example#k' }], [{ ...k, id: `${DID}#` }], [{ ...k, id: '#a' }, { ...k, id: `${DID}#a` }]]) {
      expect(() => buildDidWebDocument({ did: DID, keys })).toThrow(AppError);
    }
  });
});

describe('didWebFromUrl', () => {
  it('encodes the port colon, keeps a base path, and round-trips through the resolver URL mapping', () => {
    const cases: Array<[string, string, string]> = [
      ['https://creds.example.edu', 'did:web:creds.example.edu:issuers:acme', 'https://creds.example.edu/issuers/acme/did.json'],
      ['https://Creds.Example.edu:8443/', 'did:web:creds.example.edu%3A8443:issuers:acme', 'https://creds.example.edu:8443/issuers/acme/did.json'],
      ['https://host.example/microcred/v1', 'did:web:host.example:microcred:v1:issuers:acme', 'https://host.example/microcred/v1/issuers/acme/did.json'],
    ];
    for (const [publicUrl, did, url] of cases) {
      expect(didWebFromUrl(publicUrl, 'acme')).toBe(did);
      expect(didWebToUrl(did).url.href).toBe(url);
    }
    expect(didWebDocumentPath('acme')).toBe('/issuers/acme/did.json');
  });

  it('refuses bad slugs and URLs', () => {
    for (const slug of ['', 'Acme', 'a:b', 'a/b', '-a', 'a-', 'x'.repeat(65)]) {
      expect(() => didWebFromUrl('https://h.example', slug)).toThrow(expect.objectContaining({ code: 'SLUG_INVALID' }));
    }
    expect(() => didWebFromUrl('not a url', 'acme')).toThrow(expect.objectContaining({ code: 'PUBLIC_URL_INVALID' }));
  });
});

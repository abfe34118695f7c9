import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { ISSUER, annexSample, smallV1, smallV2 } from '../issuing/fixtures.js';

const SAMPLES = fileURLToPath(new URL('../../../shared/reference/edc/elm/samples/', import.meta.url));
const sample = (name: string): Record<string, unknown> => {
  const raw = JSON.parse(readFileSync(`${SAMPLES}${name}`, 'utf8')) as Record<string, unknown>;
  // The EDC signed samples are JAdES envelopes: the credential is the JSON payload.
  const { proof: _p, ...doc } = (typeof raw.payload === 'string' ? JSON.parse(raw.payload) : raw) as Record<string, unknown>;
  return doc;
};

// Every document we can get our hands on: VC 1.1 and 2.0, ELM samples signed and unsigned
// (proof removed), plus shapes that stress blank nodes, lists, language maps and @json.
export function jsonLdDocuments(): Array<[string, Record<string, unknown>, Record<string, unknown>?]> {
  return [
    ['small VC 2.0', { ...smallV2(), id: 'urn:uuid:1', issuer: ISSUER, validFrom: '2025-01-01T00:00:00Z' }],
    ['small VC 1.1', { ...smallV1(), id: 'urn:uuid:2', issuer: ISSUER, issuanceDate: '2025-01-01T00:00:00Z' }],
    ['Annex I sample', annexSample()],
    ['Annex I signed sample (payload)', sample('Sample-MC-Annex1-signed.jsonld')],
    ['certificate of participation', sample('Sample-CertOfPart-unsigned.jsonld')],
    ['certificate of participation signed (payload)', sample('Sample-CertOfPart-signed.jsonld')],
    ['blank nodes only', {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
      type: ['VerifiableCredential'], issuer: ISSUER, validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: [{ name: 'a', knows: { name: 'b', knows: { name: 'a' } } }, { name: 'a', knows: { name: 'b' } }, { name: 'b' }],
    }],
    // Deduplication is on the expanded value: a value repeated gives one quad, look-alikes
    // (1, "1", 1.0, true, "true", typed and language-tagged twins, equal-looking blank nodes) do not.
    ['repeated and look-alike values', {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
      type: ['VerifiableCredential', 'VerifiableCredential'], issuer: ISSUER, validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: {
        id: 'did:example:s',
        score: [1, '1', 1.0, 1.5, true, 'true', 1, '1', { '@value': '1', '@type': 'http://www.w3.org/2001/XMLSchema#integer' }, { '@value': '1', '@language': 'en' }, { '@value': '1', '@language': 'en' }],
        knows: [{ id: 'did:example:k' }, { id: 'did:example:k' }, { name: 'x' }, { name: 'x' }, { id: '_:b1', name: 'y' }, { id: '_:b1' }],
      },
    }],
    // Past a few values per property deduplication switches from comparing to keying: the same
    // look-alikes, repeated after the switch.
    ['many repeated and look-alike values', {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
      type: ['VerifiableCredential'], issuer: ISSUER, validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: {
        id: 'did:example:s',
        score: [...Array.from({ length: 12 }, (_, i) => i), 1, '1', 1.0, true, 'true', 11, '11', { '@value': '1', '@language': 'en' }, { '@value': '1', '@language': 'en' }, { '@value': '1', '@language': 'fr' }, 0, 5],
        knows: [...Array.from({ length: 10 }, (_, i) => ({ id: `did:example:k${i}` })), { name: 'x' }, { name: 'x' }, { id: 'did:example:k3' }, { id: '_:b1', name: 'y' }, { id: '_:b1' }, { id: 'did:example:k9' }],
      },
    }],
    ['lists, language and @json', {
      '@context': ['https://www.w3.org/ns/credentials/v2', { ex: 'https://ex.test/', seq: { '@id': 'ex:seq', '@container': '@list' }, label: { '@id': 'ex:label', '@container': '@language' }, raw: { '@id': 'ex:raw', '@type': '@json' } }],
      type: ['VerifiableCredential'], issuer: ISSUER, validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:s', seq: [3, 'two', { 'ex:one': true }], label: { en: 'Hello', fr: 'Bonjour' }, raw: { b: [1, 2], a: null } },
    }],
  ];
}


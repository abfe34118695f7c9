import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createDocumentLoader, createFastRdf, expandSafe, fastFirst, loadBundledContexts, mapJsonLdError, withCanonicalizer } from '../../src/jsonld/index.js';
import { buildMicroCredential } from '../../src/elm/index.js';
import { jsonLdDocuments } from '../helpers/jsonld-documents.js';
import { ISSUER, annexSample, smallV1, smallV2 } from '../issuing/fixtures.js';
import { elmDocumentLoader } from '../elm/shacl.js';
import { institution, maximalRequest, minimalRequest, NOW, sequentialIds } from '../elm/fixtures.js';

// A proof sits in a named graph (@graph container): the format check expands credentials with theirs.
const PROOF = { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', created: '2025-01-01T00:00:00Z', verificationMethod: `${ISSUER}#key-1`, proofPurpose: 'assertionMethod', proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKods5D2UAUL5n2Brbx' };
const withProof = (doc: Record<string, unknown>) => ({ ...doc, '@context': [...(doc['@context'] as string[]), 'https://w3id.org/security/data-integrity/v2'], proof: PROOF });
const presentation = () => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'VerifiablePresentation', holder: 'did:example:holder',
  verifiableCredential: [{ ...smallV2(), id: 'urn:uuid:3', issuer: ISSUER, validFrom: '2025-01-01T00:00:00Z', proof: [PROOF, { ...PROOF, proofValue: 'z2' }] }, { ...smallV2(), issuer: ISSUER }],
});

const build = (req: typeof minimalRequest) => buildMicroCredential(req, { institution, now: NOW, newId: sequentialIds(), documentLoader: elmDocumentLoader() }) as Promise<Record<string, unknown>>;

const loader = createDocumentLoader();
const fast = createFastRdf(loadBundledContexts());

/** The reference: the cryptosuite's own canonize (jsonld.toRDF + rdf-canonize), or the error it throws. */
async function reference(doc: unknown): Promise<{ ok: true; nquads: string } | { ok: false; error: unknown }> {
  try {
    return { ok: true, nquads: await eddsaRdfc2022.canonize(structuredClone(doc), { documentLoader: loader }) };
  } catch (error) {
    return { ok: false, error };
  }
}

// Deterministic PRNG, so a failing variant is reproducible from its seed.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Replacement values that exercise every branch: literals of each JSON type, IRIs (absolute,
// relative, compact, blank), value objects, language maps, nested nodes, keywords, nulls.
const REPLACEMENTS: unknown[] = [
  null, 0, 7, -3, 1.5, 1e21, 2.5e-7, true, false, '', 'plain text', 'Grüße 🎓', 'urn:x:1', 'relative/path', '_:b1', 'http://data.europa.eu/snb/eqf/6', 'xsd:string',
  [], [null], ['a', 'b'], [[1, 2], 3], { '@value': 'v' }, { '@value': 'v', '@language': 'fr' }, { '@value': '5', '@type': 'http://www.w3.org/2001/XMLSchema#integer' },
  { '@value': 'v', '@language': 'not a tag!' }, { '@value': null }, { '@value': { a: 1 } }, { '@language': 'en' }, { '@id': 'urn:x:ref' }, { id: 'urn:x:ref2' }, { id: '_:b1', type: 'Organisation' },
  { id: 'relative' }, {}, { en: 'English', fr: ['Français', null] }, { 'no-tag!': 'x' }, { '@none': 'untagged' }, { '@list': [1, 2] }, { '@set': ['x'] }, { '@graph': [] },
  { '@context': { ex: 'https://ex.test/' }, 'ex:p': 1 }, { type: 'NoSuchType' }, { type: ['Note', 'Agent'], id: 'urn:x:n' }, { notDefinedAnywhere: 1 }, { 'https://ex.test/p': 'absolute key' },
  { 'ex:p': 'undefined prefix' }, { '@direction': 'rtl', '@value': 'x', '@language': 'ar' }, { '@reverse': {} }, { '@included': [] }, { '@nest': {} }, { '@index': 'i', '@value': 'x' },
];
const EXTRA_KEYS = ['id', 'type', '@id', '@type', 'title', 'definition', 'notDefinedAnywhere', 'dc:title', 'https://ex.test/p', '@value', '@language', 'credentialSubject', 'prefLabel', 'homepage', '_:p'];

function mutate(doc: Record<string, unknown>, rnd: () => number): Record<string, unknown> {
  const out = structuredClone(doc);
  const objects: Array<Record<string, unknown>> = [];
  (function collect(v: unknown): void {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      objects.push(v as Record<string, unknown>);
      Object.values(v).forEach(collect);
    }
  })(out);
  const edits = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < edits; i++) {
    const target = objects[Math.floor(rnd() * objects.length)]!;
    const keys = Object.keys(target).filter((k) => target !== out || k !== '@context');
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const r = rnd();
    if (r < 0.35 && keys.length > 0) target[pick(keys)] = structuredClone(pick(REPLACEMENTS));
    else if (r < 0.55 && keys.length > 0) delete target[pick(keys)];
    else if (r < 0.8) target[pick(EXTRA_KEYS)] = structuredClone(pick(REPLACEMENTS));
    else if (keys.length > 0) {
      // Duplicate a sibling value under another key, or wrap it in an array.
      const k = pick(keys);
      target[k] = rnd() < 0.5 ? [target[k], structuredClone(target[k])] : target[pick(keys)];
    }
  }
  return out;
}

describe('fast JSON-LD → RDF path', () => {
  it('is byte-identical to the cryptosuite canonize on every fixture, and covers every credential', async () => {
    const docs: Array<[string, unknown]> = [
      ...jsonLdDocuments().map(([n, d]) => [n, d] as [string, unknown]),
      ['ELM minimal', await build(minimalRequest)],
      ['ELM maximal', await build(maximalRequest)],
      ['Annex I with its proof', withProof(annexSample())],
      ['VC 2.0 with two proofs', { ...smallV2(), id: 'urn:uuid:4', issuer: ISSUER, proof: [PROOF, { ...PROOF, created: '2025-01-02T00:00:00Z' }] }],
      ['presentation with embedded credentials', presentation()],
      ['proof options (VC 1.1 + ELM + Data Integrity)', { '@context': [...(annexSample()['@context'] as string[]), 'https://w3id.org/security/data-integrity/v2'], type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', created: '2025-01-01T00:00:00Z', verificationMethod: `${ISSUER}#key-1`, proofPurpose: 'assertionMethod' }],
    ];
    const missed: string[] = [];
    for (const [name, doc] of docs) {
      const ref = await reference(doc);
      const got = await fast.canonize(doc, { documentLoader: loader });
      if (got === undefined) {
        missed.push(name);
        continue;
      }
      expect(ref.ok, name).toBe(true);
      expect(got, name).toBe((ref as { nquads: string }).nquads);
    }
    // Lists, @json and inline contexts (the last fixture) are left to jsonld.js; every credential is covered.
    expect(missed).toEqual(['lists, language and @json']);
  });

  it('on 2,000 generated variants of real credentials: identical where it answers, silent where jsonld.js errs', async () => {
    const bases = [annexSample(), smallV1(), { ...smallV2(), issuer: ISSUER }, await build(maximalRequest), withProof(smallV1()), presentation()];
    let answered = 0;
    let refused = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const rnd = prng(seed);
      const doc = mutate(bases[seed % bases.length]!, rnd);
      const [ref, got] = await Promise.all([reference(doc), fast.canonize(doc, { documentLoader: loader })]);
      if (!ref.ok) refused++;
      if (got === undefined) continue;
      answered++;
      expect(ref.ok, `seed ${seed}: the fast path answered where jsonld.js fails (${String((ref as { error?: Error }).error?.message)})`).toBe(true);
      expect(got, `seed ${seed}`).toBe((ref as { nquads: string }).nquads);
      // Safe-mode expansion agrees too: where the fast path says "expands safely", jsonld.js does.
      expect(await fast.expandsSafely(doc)).toBe(true);
      await jsonld.expand(structuredClone(doc) as never, { documentLoader: loader, safe: true, base: null } as never);
    }
    // The generator must reach both sides: plenty of answers and plenty of documents jsonld.js refuses.
    expect(answered).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });

  it('gives up (undefined) on what it does not cover, and on anything safe mode reports', async () => {
    const v2 = { ...smallV2(), issuer: ISSUER };
    const cases: Array<[string, unknown]> = [
      ['inline context', { ...v2, '@context': ['https://www.w3.org/ns/credentials/v2', { ex: 'https://ex.test/' }] }],
      ['context not bundled', { ...v2, '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.test/ctx'] }],
      ['undefined term (VC 1.1 has no @vocab)', { ...smallV1(), credentialSubject: { id: 'did:example:x', notDefinedAnywhere: 1 } }],
      ['relative @id', { ...v2, id: 'not-absolute' }],
      ['@graph', { ...v2, '@graph': [] }],
      ['@list', { ...v2, credentialSubject: { id: 'did:example:s', 'https://ex.test/l': { '@list': [1] } } }],
      ['not an object', ['a']],
      ['no @context', { type: 'VerifiableCredential' }],
      ['an option it does not reproduce', v2],
      // jsonld.js refuses a value object with any other key, even one that expands to nothing.
      ['value object with an empty extra property', { ...v2, credentialSubject: { id: 'did:example:s', name: { '@value': 'x', description: [] } } }],
      ['value object with an all-null extra property', { ...v2, credentialSubject: { id: 'did:example:s', name: { '@value': 'x', description: [null, [null]] } } }],
      // jsonld.js copies its input first, and the copy turns an own "__proto__" key into a prototype.
      ['own __proto__ key with a string', { ...v2, credentialSubject: JSON.parse('{"id": "did:example:s", "__proto__": "did:example:v"}') }],
      ['own __proto__ key with an object', { ...v2, credentialSubject: JSON.parse('{"id": "did:example:s", "name": "n", "__proto__": {"@context": "https://www.w3.org/ns/credentials/v2"}}') }],
      ['own __proto__ key in a language map', { ...v2, credentialSubject: { id: 'did:example:s', name: JSON.parse('{"en": "x", "__proto__": "y"}') } }],
    ];
    for (const [name, doc] of cases) {
      const opts = name.startsWith('an option') ? { expandContext: {} } : {};
      expect(await fast.canonize(doc, opts), name).toBeUndefined();
      expect(await fast.expandsSafely(doc, opts), name).toBeUndefined();
    }
  });

  it('fastFirst: answers from the fast path, leaves the rest (and every error) to the fallback', async () => {
    const offload = fastFirst(fast);
    const annex = annexSample();
    expect(await offload.canonize(annex, { documentLoader: loader })).toBe((await reference(annex) as { nquads: string }).nquads);
    const lists = jsonLdDocuments().at(-1)![1];
    expect(await offload.canonize(lists, { documentLoader: loader })).toBe((await reference(lists) as { nquads: string }).nquads);
    // Errors are always jsonld.js's own, mapped exactly as before.
    const wrapped = withCanonicalizer(loader, offload);
    const bad = { ...smallV1(), credentialSubject: { id: 'did:example:x', notDefinedAnywhere: 1 } };
    expect(mapJsonLdError(await offload.canonize(bad, { documentLoader: loader }).catch((e: unknown) => e))?.code).toBe('UNDEFINED_TERM');
    expect(mapJsonLdError(await expandSafe(bad, wrapped).catch((e: unknown) => e))?.code).toBe('UNDEFINED_TERM');
    await expect(expandSafe(annex, wrapped)).resolves.toBeUndefined();
    expect(await offload.expand!(annex, { documentLoader: loader, discard: true })).toBeNull();
  });

  it('a scoped memo reuses top-level subtrees across walks without changing a byte (blank nodes included)', async () => {
    for (const [name, doc] of [...jsonLdDocuments().slice(0, 7), ['Annex I with its proof', withProof(annexSample())] as const]) {
      const d = doc as Record<string, unknown>;
      const memo = new WeakMap();
      const withoutProof = { ...d };
      delete withoutProof.proof;
      const ref = (await reference(withoutProof)) as { nquads: string };
      // As a verification does: the format check expands the credential with its proof, then the proof check canonicalizes it without.
      expect(await fast.expandsSafely(d, {}, memo), name).toBe(true);
      expect(await fast.canonize({ ...withoutProof }, {}, memo), name).toBe(ref.nquads);
      expect(await fast.canonize({ ...withoutProof }, {}, memo), name).toBe(ref.nquads);
    }
  });

  it('keeps its context cache bounded when a client cycles through context orderings', async () => {
    const urls = ['https://www.w3.org/ns/credentials/examples/v2', 'https://www.w3.org/ns/credentials/status/v1', 'https://w3id.org/security/suites/ed25519-2020/v1'];
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const order of orders) {
      const doc = { ...smallV2(), issuer: ISSUER, '@context': ['https://www.w3.org/ns/credentials/v2', ...order.map((i) => urls[i]!)] };
      expect(await fast.canonize(doc)).toBe((await reference(doc) as { nquads: string }).nquads);
    }
  });
});

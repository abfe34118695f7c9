import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allowedContextUrls, assertNoDroppedTerms, canonizeSafe, createDocumentLoader, CONTEXTS } from '../../src/jsonld/index.js';
import { AppError } from '../../src/errors.js';

const index = JSON.parse(readFileSync(new URL('../../schemas/contexts/index.json', import.meta.url), 'utf8')) as Record<string, string>;

async function codeOf(p: Promise<unknown>): Promise<{ code: string; detail: Record<string, unknown> | undefined; status: number }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    return { code: e.code, detail: e.detail, status: e.status };
  }
  throw new Error('expected a rejection');
}

afterEach(() => vi.restoreAllMocks());

describe('createDocumentLoader', () => {
  it('serves every bundled context, and only those are allowed', async () => {
    const loader = createDocumentLoader();
    expect(allowedContextUrls().sort()).toEqual(Object.keys(index).sort());
    for (const url of [CONTEXTS.VC_V1, CONTEXTS.VC_V2, CONTEXTS.DATA_INTEGRITY_V2, CONTEXTS.MULTIKEY_V1, CONTEXTS.DID_V1, CONTEXTS.ED25519_2020_V1, CONTEXTS.STATUS_LIST_V1, CONTEXTS.ELM_EDC_AP, CONTEXTS.VC_EXAMPLES_V1, CONTEXTS.VC_EXAMPLES_V2]) {
      expect(index[url], url).toBeDefined();
    }
    for (const url of Object.keys(index)) {
      const doc = await loader(url);
      expect(doc.documentUrl).toBe(url);
      expect(doc.contextUrl).toBeNull();
      expect(doc.document).toHaveProperty('@context');
    }
  });

  it('hands out copies, so a caller that writes into a context cannot corrupt the next load', async () => {
    const loader = createDocumentLoader();
    const first = (await loader(CONTEXTS.VC_V2)).document as Record<string, unknown>;
    first['@context'] = 'corrupted';
    const second = (await loader(CONTEXTS.VC_V2)).document as Record<string, unknown>;
    expect(second['@context']).not.toBe('corrupted');
  });

  it('refuses any other URL with CONTEXT_NOT_ALLOWED and never fetches', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const loader = createDocumentLoader();
    for (const url of ['https://example.com/ctx.jsonld', 'http://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/v2', 'file:///etc/passwd', 'did:web:x.example']) {
      const { code, status, detail } = await codeOf(loader(url));
      expect(code).toBe('CONTEXT_NOT_ALLOWED');
      expect(status).toBe(400);
      expect(detail).toEqual({ url });
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('sends did: URLs to the injected resolver and copies what it returns', async () => {
    const vm = { '@context': [CONTEXTS.DID_V1, CONTEXTS.MULTIKEY_V1], id: 'did:example:1#k', type: 'Multikey', controller: 'did:example:1', publicKeyMultibase: 'z6Mk' };
    const seen: string[] = [];
    const loader = createDocumentLoader({ resolveDid: async (u) => { seen.push(u); return vm; } });
    const got = await loader('did:example:1#k');
    expect(got.document).toEqual(vm);
    expect(got.document).not.toBe(vm);
    expect(seen).toEqual(['did:example:1#k']);
  });
});

describe('assertNoDroppedTerms (jsonld safe mode)', () => {
  const loader = createDocumentLoader();
  const v1 = (extra: Record<string, unknown>) => ({ '@context': [CONTEXTS.VC_V1], type: ['VerifiableCredential'], issuer: 'did:example:1', issuanceDate: '2025-01-01T00:00:00Z', credentialSubject: { id: 'did:example:2' }, ...extra });

  it('names an undefined property (VC 1.1 has no @vocab)', async () => {
    const r = await codeOf(assertNoDroppedTerms(v1({ credentialSubject: { id: 'did:example:2', foo: 'bar' } }), loader));
    expect(r).toMatchObject({ code: 'UNDEFINED_TERM', status: 400, detail: { term: 'foo' } });
  });

  it('names an undefined type', async () => {
    const r = await codeOf(assertNoDroppedTerms(v1({ type: ['VerifiableCredential', 'MadeUpCredential'] }), loader));
    expect(r).toMatchObject({ code: 'UNDEFINED_TERM', detail: { term: 'MadeUpCredential' } });
  });

  it('also catches undefined terms on VC 2.0: the final v2 context has no @vocab', async () => {
    const doc = { '@context': [CONTEXTS.VC_V2], type: ['VerifiableCredential'], issuer: 'did:example:1', credentialSubject: { id: 'did:example:2', foo: 'bar' } };
    expect(await codeOf(assertNoDroppedTerms(doc, loader))).toMatchObject({ code: 'UNDEFINED_TERM', detail: { term: 'foo' } });
    // An issuer opts into issuer-dependent terms explicitly with the undefined-terms context.
    await expect(assertNoDroppedTerms({ ...doc, '@context': [CONTEXTS.VC_V2, 'https://www.w3.org/ns/credentials/undefined-terms/v2'] }, loader)).resolves.toBeUndefined();
  });

  it('maps invalid JSON-LD (protected term redefinition: VC 2.0 + ELM edc-ap) to JSONLD_ERROR', async () => {
    const doc = { '@context': [CONTEXTS.VC_V2, CONTEXTS.ELM_EDC_AP], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:2' } };
    const r = await codeOf(assertNoDroppedTerms(doc, loader));
    expect(r.code).toBe('JSONLD_ERROR');
    expect(r.detail).toEqual({ jsonldCode: 'protected term redefinition' });
  });

  it('passes on the ELM Annex I sample, and reports a refused context as CONTEXT_NOT_ALLOWED', async () => {
    const sample = JSON.parse(readFileSync(new URL('../../../shared/reference/edc/elm/samples/Sample-MC-Annex1-unsigned.jsonld', import.meta.url), 'utf8')) as Record<string, unknown>;
    await expect(assertNoDroppedTerms(sample, loader)).resolves.toBeUndefined();
    const r = await codeOf(assertNoDroppedTerms(v1({ '@context': [CONTEXTS.VC_V1, 'https://evil.example/ctx'] }), loader));
    expect(r).toMatchObject({ code: 'CONTEXT_NOT_ALLOWED', detail: { url: 'https://evil.example/ctx' } });
  });

  it('canonizes in safe mode: N-Quads for a clean document, UNDEFINED_TERM otherwise', async () => {
    const nq = await canonizeSafe(v1({}), loader);
    expect(nq).toContain('<https://www.w3.org/2018/credentials#issuer> <did:example:1>');
    expect((await codeOf(canonizeSafe(v1({ foo: 1 }), loader))).code).toBe('UNDEFINED_TERM');
  });
});

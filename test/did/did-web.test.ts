import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver, didWebToUrl, isPublicAddress } from '../../src/did/index.js';
import { serve } from './helpers.js';

const docFor = (did: string): Record<string, unknown> => ({
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: did,
  verificationMethod: [{ id: '#key-1', type: 'Multikey', controller: did, publicKeyMultibase: 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' }],
  assertionMethod: ['#key-1'],
});

describe('did:web over a local test server', () => {
  let srv: Awaited<ReturnType<typeof serve>>;
  let base: string;
  beforeAll(async () => {
    srv = await serve((req, res) => {
      const did = `${base}${req.url === '/.well-known/did.json' ? '' : req.url!.replace(/\/did\.json$/, '').replace(/\//g, ':')}`;
      if (req.url === '/issuers/acme/did.json' || req.url === '/.well-known/did.json') {
        res.setHeader('content-type', 'application/did+json');
        res.end(JSON.stringify(docFor(did)));
      } else if (req.url === '/moved/did.json') {
        res.writeHead(302, { location: '/issuers/acme/did.json' }).end();
      } else if (req.url === '/big/did.json') {
        res.setHeader('content-type', 'application/json'); // chunked: no content-length to trust
        res.write(' '.repeat(200 * 1024));
        res.write(' '.repeat(200 * 1024));
        res.end('{}');
      } else if (req.url === '/slow/did.json') {
        setTimeout(() => res.end(JSON.stringify(docFor(did))), 2000);
      } else if (req.url === '/wrongid/did.json') {
        res.end(JSON.stringify(docFor('did:web:evil.example')));
      } else if (req.url === '/broken/did.json') {
        res.writeHead(503).end();
      } else {
        res.writeHead(404).end();
      }
    });
    base = `did:web:127.0.0.1%3A${srv.port}`;
  });
  afterAll(() => srv.close());

  const testResolver = (extra: Record<string, unknown> = {}) =>
    createResolver({ allowPrivateHosts: true, allowHttp: true, timeoutMs: 500, ...extra });

  it('resolves path and bare-host DIDs and absolutizes method ids', async () => {
    const r = testResolver();
    const did = `${base}:issuers:acme`;
    const doc = await r.resolveDocument(did);
    expect(doc.id).toBe(did);
    expect(doc.assertionMethod).toEqual([`${did}#key-1`]);
    const vm = await r.getVerificationMethod(`${did}#key-1`, 'assertionMethod');
    expect(vm).toMatchObject({ id: `${did}#key-1`, '@context': doc['@context'] });
    expect((await r.resolveDocument(base)).id).toBe(base);
  });

  it('serves repeated resolutions from the cache until the TTL passes', async () => {
    let t = 1_000_000;
    const r = testResolver({ now: () => t, cache: { max: 10, ttlMs: 60_000 } });
    const did = `${base}:issuers:acme`;
    const before = srv.hits.length;
    await r.resolveDocument(did);
    await r.resolveDocument(did);
    expect(srv.hits.length - before).toBe(1);
    t += 61_000;
    await r.resolveDocument(did);
    expect(srv.hits.length - before).toBe(2);
  });

  it.each([
    ['moved', 'DID_WEB_REDIRECT', false],
    ['big', 'DID_WEB_TOO_LARGE', false],
    ['slow', 'DID_WEB_TIMEOUT', true],
    ['wrongid', 'DID_DOCUMENT_INVALID', false],
    ['missing', 'DID_RESOLUTION_ERROR', false],
    ['broken', 'DID_RESOLUTION_ERROR', true],
  ])('/%s → %s (transient=%s)', async (path, code, transient) => {
    const r = testResolver();
    const err = await r.resolveDocument(`${base}:${path}`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code, transient });
    const res = await r.resolve(`${base}:${path}`);
    expect(res.didResolutionMetadata).toMatchObject({ code, transient });
  });

  it('refuses the loopback test server in the default configuration, without fetching', async () => {
    const r = createResolver({ allowHttp: true });
    const before = srv.hits.length;
    await expect(r.resolveDocument(`${base}:issuers:acme`)).rejects.toMatchObject({ code: 'DID_WEB_FORBIDDEN_HOST' });
    expect(srv.hits.length).toBe(before);
  });
});

describe('did:web host and URL rules (default configuration)', () => {
  const neverFetch = (() => Promise.reject(new Error('must not fetch'))) as typeof fetch;
  const lookupTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it.each([
    ['did:web:127.0.0.1', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:10.1.2.3%3A8443', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:2130706433', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:0x7f.1', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:localhost%3A3000', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:example.com%2Fevil', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:example.com%40evil.com', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:example.com%3Fx', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:example.com%23x', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:ex%61mple.com', 'DID_WEB_FORBIDDEN_HOST'],
    ['did:web:example.com:a%2Fb', 'DID_INVALID'],
    ['did:web:example.com:..:x', 'DID_INVALID'],
    ['did:web:example.com:%2e%2E:x', 'DID_INVALID'],
    ['did:web:example.com:.%2e', 'DID_INVALID'],
    ['did:web:example.com:a%5Cb', 'DID_INVALID'],
    ['did:web:example.com:a%3Fb', 'DID_INVALID'],
    ['did:web:example.com:a%23b', 'DID_INVALID'],
    ['did:web:example.com:a%00b', 'DID_INVALID'],
    ['did:web:example.com:a%252Fb', 'DID_INVALID'],
    ['did:web:example.com:a%zz', 'DID_INVALID'],
    ['did:web:example.com:a~b', 'DID_INVALID'],
    ['did:web:example.com%3A99999', 'DID_INVALID'],
  ])('%s → %s', async (did, code) => {
    const r = createResolver({ fetch: neverFetch, lookup: lookupTo('93.184.216.34') });
    await expect(r.resolveDocument(did)).rejects.toMatchObject({ code });
  });

  it.each([['127.0.0.1'], ['10.0.0.1'], ['192.168.1.1'], ['169.254.169.254'], ['::1'], ['fd00::1'], ['fe80::1'], ['0.0.0.0'], ['::ffff:10.0.0.1']])(
    'refuses a name resolving to %s (checking every address)',
    async (address) => {
      const r = createResolver({ fetch: neverFetch, lookup: lookupTo('93.184.216.34', address) });
      await expect(r.resolveDocument('did:web:example.com')).rejects.toMatchObject({ code: 'DID_WEB_FORBIDDEN_HOST' });
    },
  );

  it('uses https and the did:web path mapping', () => {
    expect(didWebToUrl('did:web:example.com').url.href).toBe('https://example.com/.well-known/did.json');
    expect(didWebToUrl('did:web:Example.com%3A8443:issuers:acme').url.href).toBe('https://example.com:8443/issuers/acme/did.json');
    // DID Core allows percent-encoded idchars in the path; they stay encoded in the URL.
    expect(didWebToUrl('did:web:example.com:u:al%40ice').url.href).toBe('https://example.com/u/al%40ice/did.json');
    expect(didWebToUrl('did:web:example.com:caf%C3%A9').url.pathname).toBe('/caf%C3%A9/did.json');
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:4700::1')).toBe(true);
  });

  it('fetches public hosts with redirect manual and a timeout signal', async () => {
    const seen: RequestInit[] = [];
    const fakeFetch = (async (_url: URL, init: RequestInit) => {
      seen.push(init);
      return new Response(JSON.stringify(docFor('did:web:example.com')), { status: 200 });
    }) as unknown as typeof fetch;
    const r = createResolver({ fetch: fakeFetch, lookup: lookupTo('93.184.216.34') });
    await r.resolveDocument('did:web:example.com');
    expect(seen[0]?.redirect).toBe('manual');
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('asks resolveOwn first and never fetches our own DIDs', async () => {
    const r = createResolver({ fetch: neverFetch, resolveOwn: async (did) => (did === 'did:web:ours.example:issuers:a' ? (docFor(did) as never) : null) });
    expect((await r.resolveDocument('did:web:ours.example:issuers:a')).id).toBe('did:web:ours.example:issuers:a');
  });

  it('a scoped resolver looks an own DID up once for all its calls; the shared one every time (no stale keys)', async () => {
    const did = 'did:web:ours.example:issuers:a';
    let lookups = 0;
    const r = createResolver({ fetch: neverFetch, resolveOwn: async (d) => (d === did ? (lookups++, docFor(d) as never) : null) });
    const scoped = r.scoped!();
    const doc = await scoped.resolveDocument(did);
    await scoped.resolve(did);
    await scoped.dereference(did);
    expect(lookups).toBe(1);
    // Each caller gets its own copy: decorating one does not leak into the next.
    (doc as Record<string, unknown>).decorated = true;
    expect(await scoped.resolveDocument(did)).not.toHaveProperty('decorated');
    await r.resolveDocument(did);
    await r.resolveDocument(did);
    expect(lookups).toBe(3);
    const fresh = r.scoped!();
    await fresh.resolveDocument(did);
    expect(lookups).toBe(4);
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { courseSpec, fullRequest } from '../microcredentials/fixtures.js';
import { qdr } from '../trust/trust-fixtures.js';

/**
 * Whatever a client sends, the answer is a 4xx with a documented code, never a 5xx: every
 * operation of the OpenAPI document is called with hostile path parameters, queries, bodies,
 * content types and credentials, and every error answer is checked.
 */

const DOCUMENTED = new Set(
  [...readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8').matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]!),
);

const HOSTILE_SEGMENTS = [
  'nope',
  'x'.repeat(3000),
  '%00',
  '%E0%A4%A',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%98%80',
  "'%3B%20DROP%20TABLE%20credentials%3B--",
  '00000000-0000-0000-0000-000000000000',
  'urn:uuid:00000000-0000-0000-0000-000000000000',
  '-1',
  '1e999',
  '%20',
];

const HOSTILE_QUERY_VALUES = ['', '-1', '0', '1e999', 'x'.repeat(3000), '%00', 'null', '2026-13-45T25:61:61Z', '%E0%A4%A'];

const RAW_BODIES = ['', 'null', '[]', '"x"', '1', 'true', '{', '{"a":', '{}', '{"__proto__":{"polluted":1}}', `${'['.repeat(200)}${']'.repeat(200)}`, '\u0000', '{"a":"\\ud800"}'];

const WRONG_VALUES: unknown[] = [null, 0, -1, 1e308, '', 'x', 'x'.repeat(100_000), [], [null], {}, { '@id': 'javascript:alert(1)' }, true, '\u0000', '2026-02-30T00:00:00Z'];

interface Operation {
  method: string;
  path: string;
  secured: boolean;
  contentTypes: string[];
  query: string[];
  headers: string[];
  bodyProperties: string[];
}

function operations(spec: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as Array<{ in: string; name: string }>;
      const content = ((op.requestBody as { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } | undefined)?.content ?? {});
      const json = content['application/json']?.schema?.properties;
      out.push({
        method: method.toUpperCase(),
        path,
        secured: Array.isArray(op.security) && op.security.length > 0,
        contentTypes: Object.keys(content),
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
        headers: params.filter((p) => p.in === 'header').map((p) => p.name),
        bodyProperties: json ? Object.keys(json) : [],
      });
    }
  }
  return out;
}

for (const kind of storeKinds) describe(`no 5xx for anything a client can send (${kind})`, () => {
  let t: TestApp;
  let ops: Operation[];
  let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
  let other: Awaited<ReturnType<TestApp['createInstitution']>>;

  beforeAll(async () => {
    t = await buildTestApp({ kind });
    inst = await t.createInstitution('robust-u');
    other = await t.createInstitution('robust-other');
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    ops = operations(spec);
  });
  afterAll(async () => t.close());

  type Sent = { method: string; url: string; headers?: Record<string, string>; payload?: string };

  async function send(req: Sent, failures: string[]): Promise<void> {
    const res = await t.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.payload });
    const what = `${req.method} ${req.url.slice(0, 120)}${req.payload !== undefined ? ` body ${req.payload.slice(0, 80)}` : ''}`;
    if (res.statusCode >= 500) {
      failures.push(`${what} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      return;
    }
    if (res.statusCode < 400) return;
    const type = String(res.headers['content-type'] ?? '');
    if (req.method === 'HEAD') return;
    if (type.startsWith('application/problem+json')) {
      const code = (res.json() as { code?: string }).code;
      if (!code || !DOCUMENTED.has(code)) failures.push(`${what} → ${res.statusCode} with undocumented code ${String(code)}`);
      return;
    }
    // OAuth 2.0 / OID4VCI endpoints answer errors in their own JSON shape (RFC 6749 §5.2).
    if (type.startsWith('application/json') && typeof (res.json() as { error?: unknown }).error === 'string') return;
    // Pages for people (a shared credential's view) answer errors as HTML.
    if (type.startsWith('text/html') && req.method === 'GET') return;
    failures.push(`${what} → ${res.statusCode} as ${type || 'no content type'}: ${res.body.slice(0, 120)}`);
  }

  const fill = (path: string, value: (name: string) => string) => path.replace(/\{([^}]+)\}/g, (_, name: string) => value(name));
  const authFor = (op: Operation) => (!op.secured ? {} : op.path.startsWith('/admin') ? t.admin : inst.auth);
  const natural = (name: string) => (name === 'slug' ? inst.slug : 'nope');

  it('hostile path parameters, with each kind of credentials', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      if (!op.path.includes('{')) continue;
      for (const segment of HOSTILE_SEGMENTS) {
        for (const auth of [{}, t.admin, inst.auth, other.auth, { authorization: 'Bearer x' }]) {
          const url = fill(op.path, () => segment);
          const body = op.contentTypes.includes('application/json') ? { payload: '{}', headers: { ...auth, 'content-type': 'application/json' } } : { headers: auth };
          await send({ method: op.method, url, ...body }, failures);
        }
        // Only one parameter hostile, the others plausible (the institution's own slug).
        if ((op.path.match(/\{/g) ?? []).length > 1 || op.path.includes('{slug}')) {
          await send({ method: op.method, url: fill(op.path, (name) => (name === 'slug' ? inst.slug : segment)), headers: authFor(op) }, failures);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('hostile query parameters, repeated parameters and headers', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const base = fill(op.path, natural);
      const headers = authFor(op);
      for (const name of op.query) {
        for (const v of HOSTILE_QUERY_VALUES) await send({ method: op.method, url: `${base}?${name}=${v}`, headers }, failures);
        await send({ method: op.method, url: `${base}?${name}=1&${name}=2`, headers }, failures);
        await send({ method: op.method, url: `${base}?${name}[a]=1`, headers }, failures);
      }
      for (const name of op.headers) {
        for (const v of ['', ' ', 'x'.repeat(5000), 'é', '\t']) {
          await send({ method: op.method, url: base, headers: { ...headers, [name]: v, 'content-type': 'application/json' }, payload: op.contentTypes.length ? '{}' : undefined }, failures);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('hostile bodies and content types', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      if (op.method === 'GET' || op.method === 'DELETE') continue;
      const url = fill(op.path, natural);
      const auth = authFor(op);
      for (const payload of RAW_BODIES) {
        for (const type of ['application/json', 'application/x-www-form-urlencoded', 'text/csv', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x']) {
          await send({ method: op.method, url, headers: { ...auth, 'content-type': type }, payload }, failures);
        }
      }
      await send({ method: op.method, url, headers: { ...auth }, payload: '{}' }, failures);
    }
    expect(failures).toEqual([]);
  });

  it('each property of each JSON body with values of the wrong type', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      if (!op.contentTypes.includes('application/json')) continue;
      const url = fill(op.path, natural);
      const headers = { ...authFor(op), 'content-type': 'application/json' };
      for (const property of op.bodyProperties) {
        for (const value of WRONG_VALUES) await send({ method: op.method, url, headers, payload: JSON.stringify({ [property]: value }) }, failures);
      }
    }
    expect(failures).toEqual([]);
  });

  it('routes outside the OpenAPI document, and unknown methods', async () => {
    const failures: string[] = [];
    for (const url of ['/metrics', '/healthz', '/readyz', '/docs', '/', '/verify', '/nope', '/%', '/issuers/%E0%A4%A/did.json', `/${'x'.repeat(10_000)}`]) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) await send({ method, url }, failures);
    }
    expect(failures).toEqual([]);
  });
});

for (const kind of storeKinds) {
  describe(`edges a client can reach (${kind})`, () => {
    let t: TestApp;
    let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
    beforeAll(async () => {
      t = await buildTestApp({ kind });
      inst = await t.createInstitution('edges-u');
    });
    afterAll(async () => t.close());

    const credential = (extra: Record<string, unknown> = {}) => ({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      credentialSubject: { id: 'did:example:learner' },
      ...extra,
    });
    const issue = (c: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: c } });

    it('a credential whose own id is a long IRI is read back by that id', async () => {
      const id = `https://university.example/credentials/${'a'.repeat(1900)}`;
      expect((await issue(credential({ id }))).statusCode).toBe(201);
      const res = await t.app.inject({ method: 'GET', url: `/credentials/${encodeURIComponent(id)}`, headers: inst.auth });
      expect([res.statusCode, res.json().id]).toEqual([200, id]);
    });

    it('an id longer than 2,000 characters is refused at issuance, a longer path segment with 414', async () => {
      const res = await issue(credential({ id: `https://university.example/${'a'.repeat(2000)}` }));
      expect([res.statusCode, res.json().code]).toEqual([400, 'MALFORMED_CREDENTIAL']);
      const long = await t.app.inject({ method: 'GET', url: `/credentials/${'a'.repeat(9000)}`, headers: inst.auth });
      expect([long.statusCode, long.json().code]).toEqual([414, 'URI_TOO_LONG']);
    });

    it('a query number that overflows to Infinity is refused, not passed to the store', async () => {
      for (const v of ['1e999', '-1e999', 'Infinity']) {
        const res = await t.app.inject({ method: 'GET', url: `/issuers/${inst.slug}/audit?limit=${v}`, headers: inst.auth });
        expect([res.statusCode, res.json().code, res.json().details?.errors?.[0]?.path]).toEqual([400, 'INVALID_REQUEST', 'querystring/limit']);
      }
      const ok = await t.app.inject({ method: 'GET', url: `/issuers/${inst.slug}/audit?limit=1e2`, headers: inst.auth });
      expect(ok.statusCode).toBe(200);
    });

    it('an encoded NUL in the URL → 400 MALFORMED_URL', async () => {
      for (const url of ['/credentials/%00', `/issuers/${inst.slug}/audit?action=%00`, '/registry/organisations?uri=a%00b']) {
        const res = await t.app.inject({ method: 'GET', url, headers: inst.auth });
        expect([url, res.statusCode, res.json().code]).toEqual([url, 400, 'MALFORMED_URL']);
      }
    });

    it('a number a double cannot hold is refused (1e999 was signed as Infinity and stored as null); large finite numbers round-trip', async () => {
      const raw = (score: string) => `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:x","score":${score}}}}`;
      const before = await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM credentials');
      for (const n of ['1e999', '12345678901234567890']) {
        const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: { ...inst.auth, 'content-type': 'application/json' }, payload: raw(n) });
        expect([n, res.statusCode, res.json().code]).toEqual([n, 400, 'NUMBER_NOT_REPRESENTABLE']);
      }
      expect((await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM credentials')).rows[0]!.n).toBe(before.rows[0]!.n);
      const big = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: { ...inst.auth, 'content-type': 'application/json' }, payload: raw('1.5e300') });
      expect(big.statusCode).toBe(201);
      const verified = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: big.json().verifiableCredential } });
      expect([verified.statusCode, verified.json().verdict]).toEqual([200, 'valid']);
    });

    it('NUL in text the service stores → 400 INVALID_TEXT, and nothing is stored', async () => {
      const challenge = await t.app.inject({ method: 'POST', url: '/presentations/challenges', payload: { domain: 'verifier\u0000.example' } });
      expect([challenge.statusCode, challenge.json().code]).toEqual([400, 'INVALID_TEXT']);
      const before = await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM credentials');
      const res = await issue(credential({ credentialSubject: { id: 'did:example:a\u0000b' } }));
      expect([res.statusCode, res.json().code]).toEqual([400, 'INVALID_TEXT']);
      const after = await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM credentials');
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    });
  });
}

// Every value at every depth of valid requests, replaced: what a schema checks only at the top.
describe('valid requests with one value anywhere replaced or removed: never a 5xx', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  const REPLACEMENTS: unknown[] = [null, 1.5, '', 'x', [], {}, true, 'a\u0000b', '\ud800', '__proto__', '_:b0'];
  const REMOVE = Symbol('remove');

  function* pathsOf(v: unknown, at: Array<string | number> = []): Generator<Array<string | number>> {
    if (at.length) yield at;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* pathsOf(v[i], [...at, i]);
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) yield* pathsOf(x, [...at, k]);
  }
  function replaced(v: unknown, path: Array<string | number>, value: unknown): unknown {
    const copy = structuredClone(v) as Record<string | number, unknown>;
    let parent = copy;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (value !== REMOVE) parent[last] = value;
    else if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
    return copy;
  }

  it('issuing, micro-credentials, templates, the registry, verification and status changes', async () => {
    const inst = await t.createInstitution('mutants-u');
    const small = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:learner', name: 'Ana' } };
    const di = (await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: small } })).json().verifiableCredential;
    const jwt = (await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: small, options: { mechanism: 'vc+jwt' } } })).json().verifiableCredential;
    const micro = (await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/micro-credentials`, headers: inst.auth, payload: fullRequest })).json().verifiableCredential;
    expect([di?.proof?.type, jwt?.type, micro?.proof?.type]).toEqual(['DataIntegrityProof', 'EnvelopedVerifiableCredential', 'DataIntegrityProof']);
    const requests: Array<[string, Record<string, string>, unknown]> = [
      ['/credentials/issue', inst.auth, { credential: small, options: { mechanism: 'eddsa-rdfc-2022' } }],
      ['/credentials/issue', inst.auth, { credential: small, options: { mechanism: 'vc+jwt' } }],
      [`/issuers/${inst.slug}/micro-credentials`, inst.auth, fullRequest],
      [`/issuers/${inst.slug}/templates`, inst.auth, { name: 'Course', spec: courseSpec }],
      ['/admin/registry/organisations', t.admin, { kind: 'qa-agency', legalName: 'Agency', country: 'IE', dids: ['did:web:agency.test'], legalIdentifiers: { national: 'IE-A1' }, uris: ['https://agency.test'] }],
      ['/admin/registry/accreditations', t.admin, qdr('eqf')],
      ['/credentials/verify', {}, { verifiableCredential: di }],
      ['/credentials/verify', {}, { verifiableCredential: jwt }],
      ['/credentials/verify', {}, { verifiableCredential: micro }],
      ['/credentials/status', inst.auth, { credentialId: di.id, credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'suspended' }] }],
    ];
    const failures: string[] = [];
    let sent = 0;
    for (const [url, headers, body] of requests) {
      for (const path of pathsOf(body)) {
        for (const value of [...REPLACEMENTS, REMOVE]) {
          const res = await t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(replaced(body, path, value)) });
          sent++;
          if (res.statusCode >= 500) failures.push(`POST ${url} ${path.join('.')} = ${value === REMOVE ? '(removed)' : JSON.stringify(value)} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(3000);
    expect(failures).toEqual([]);
  });
});

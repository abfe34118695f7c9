import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { courseSpec, csvOf, fullRequest } from '../microcredentials/fixtures.js';

/**
 * The OpenAPI document, the README's examples and the error catalogue say what the service
 * does: documented success statuses are the ones it answers, README requests work as shown, and
 * the codes docs/errors.md names for a case are the codes a client gets.
 */

type Spec = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; requestBody?: { content: Record<string, { schema?: unknown }> }; security?: Array<Record<string, unknown>>; parameters?: Array<{ name: string; in: string; description?: string; schema?: { enum?: unknown[] } }> }>>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
};

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** `curl -X METHOD http://localhost:3000/path … -d '<json>'` requests of the README's shell blocks, in order. */
function readmeCurlRequests(): Array<{ method: string; path: string; body: unknown }> {
  const out: Array<{ method: string; path: string; body: unknown }> = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const cmd of block[1]!.split(/\n(?=curl )/)) {
      const m = /^curl .*?-X (\w+) http:\/\/localhost:3000(\S+)[\s\S]*?-d '([\s\S]*?)'/.exec(cmd.trim());
      if (m) out.push({ method: m[1]!, path: m[2]!, body: JSON.parse(m[3]!) });
    }
  }
  return out;
}

/** The 2xx statuses an operation documents. */
const successes = (spec: Spec, path: string, method: string): string[] =>
  Object.keys(spec.paths[path]?.[method]?.responses ?? {}).filter((s) => s.startsWith('2'));

for (const kind of storeKinds) {
  describe(`OpenAPI and README are true to the service [${kind}]`, () => {
    let t: TestApp;
    let spec: Spec;
    let demo: Awaited<ReturnType<TestApp['createInstitution']>>;
    const json = (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload?: unknown, headers: Record<string, string> = demo.auth) =>
      t.app.inject({ method, url, headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) });

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      // The slug of the README's examples.
      demo = await t.createInstitution('demo-university');
      spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    });
    afterAll(async () => t.close());

    it('each operation documents the success status it answers', async () => {
      const answered: Array<[string, string, number]> = [];
      const mc = await json('POST', '/issuers/demo-university/micro-credentials', fullRequest);
      answered.push(['/issuers/{slug}/micro-credentials', 'post', mc.statusCode]);
      expect(Object.keys(mc.json())).toEqual(['id', 'verifiableCredential', 'annexI', 'summary']);
      const issued = await json('POST', '/credentials/issue', { credential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:learner' } } });
      answered.push(['/credentials/issue', 'post', issued.statusCode]);
      const tpl = await json('POST', '/issuers/demo-university/templates', { name: 'Data literacy', spec: courseSpec });
      answered.push(['/issuers/{slug}/templates', 'post', tpl.statusCode]);
      const csv = await t.app.inject({ method: 'POST', url: `/issuers/demo-university/batches?templateId=${tpl.json().id}`, headers: { ...demo.auth, 'content-type': 'text/csv' }, payload: csvOf(2) });
      answered.push(['/issuers/{slug}/batches', 'post', csv.statusCode]);
      const rows = await json('POST', '/issuers/demo-university/batches', { templateId: tpl.json().id, rows: [{ learner: { givenName: 'A', familyName: 'B' } }] });
      answered.push(['/issuers/{slug}/batches', 'post', rows.statusCode]);
      const deleted = await json('DELETE', `/issuers/demo-university/templates/${tpl.json().id}`);
      expect(deleted.body).toBe('');
      answered.push(['/issuers/{slug}/templates/{id}', 'delete', deleted.statusCode]);
      expect(answered.map(([p, m, status]) => [p, m, successes(spec, p, m)])).toEqual(answered.map(([p, m, status]) => [p, m, [String(status)]]));
      expect(answered.map(([, , status]) => status)).toEqual([201, 201, 201, 202, 202, 204]);
      expect(JSON.stringify(spec.paths['/issuers/{slug}/micro-credentials']!.post!.responses['201'])).toContain('api.micro-credential-result');
    });

    it('bulk issuance documents both bodies, and the mechanism it refuses', async () => {
      const op = spec.paths['/issuers/{slug}/batches']!.post!;
      expect(Object.keys(op.requestBody!.content).sort()).toEqual(['application/json', 'text/csv']);
      expect(JSON.stringify(op.requestBody!.content['application/json']!.schema)).toContain('api.batch-json');
      const mechanism = op.parameters!.find((p) => p.in === 'query' && p.name === 'mechanism')!;
      expect(mechanism.description).toContain('JOSE_REQUIRES_VC2');
      const tpl = (await json('POST', '/issuers/demo-university/templates', { name: 'Course', spec: courseSpec })).json();
      const refused = await t.app.inject({ method: 'POST', url: `/issuers/demo-university/batches?templateId=${tpl.id}&mechanism=vc%2Bjwt`, headers: { ...demo.auth, 'content-type': 'text/csv' }, payload: csvOf(1) });
      expect([refused.statusCode, refused.json().code]).toEqual([400, 'JOSE_REQUIRES_VC2']);
      // A JSON batch is still checked against its schema, whichever JSON media type carries it.
      for (const type of ['application/json', 'application/ld+json']) {
        const bad = await t.app.inject({ method: 'POST', url: '/issuers/demo-university/batches', headers: { ...demo.auth, 'content-type': type }, payload: JSON.stringify({ rows: [] }) });
        expect([bad.statusCode, bad.json().code]).toEqual([400, 'INVALID_REQUEST']);
      }
    });

    it('verification documents its 400 as a report or, for a body its schema refuses, a problem', async () => {
      for (const path of ['/credentials/verify', '/presentations/verify']) {
        const content = spec.paths[path]!.post!.responses['400']!.content!;
        expect(Object.keys(content).sort()).toEqual(['application/json', 'application/problem+json']);
        const res = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json' }, payload: '{"foo":1}' });
        expect([res.statusCode, res.headers['content-type'], res.json().code, res.json().verified]).toEqual([400, 'application/problem+json; charset=utf-8', 'INVALID_REQUEST', undefined]);
      }
      const unreadable = await json('POST', '/credentials/verify', { verifiableCredential: 'not a credential' }, {});
      expect([unreadable.statusCode, unreadable.headers['content-type'], unreadable.json().verified]).toEqual([400, 'application/json; charset=utf-8', false]);
    });

    it('the OID4VCI credential endpoint documents its body and the wallet access token', async () => {
      expect(spec.components.securitySchemes.walletAccessToken).toMatchObject({ type: 'http', scheme: 'bearer' });
      const op = spec.paths['/issuers/{slug}/credential']!.post!;
      expect(op.security).toEqual([{ walletAccessToken: [] }]);
      expect(Object.keys(op.requestBody!.content)).toEqual(['application/json']);
      // The documented body constrains nothing the endpoint answers with OAuth errors itself.
      for (const payload of ['[]', '"x"', '{"credential_configuration_id":1,"proofs":"x"}']) {
        const res = await t.app.inject({ method: 'POST', url: '/issuers/demo-university/credential', headers: { ...demo.auth, 'content-type': 'application/json' }, payload });
        expect([res.statusCode, res.json().error]).toEqual([401, 'invalid_token']);
      }
    });

    it("the README's curl requests work as shown, with the status OpenAPI documents", async () => {
      const requests = readmeCurlRequests();
      expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /issuers/demo-university/micro-credentials', 'POST /credentials/status']));
      let lastId: string | undefined;
      for (const r of requests) {
        // A placeholder such as "<id of the issued credential>" stands for the last issued credential.
        const body = JSON.parse(JSON.stringify(r.body), (_k, v: unknown) => (typeof v === 'string' && /^<.*>$/.test(v) ? lastId : v));
        const res = await json(r.method as 'POST', r.path, body);
        const path = r.path.replace('/demo-university/', '/{slug}/');
        expect([r.path, res.statusCode, res.body.slice(0, 200)]).toEqual([r.path, Number(successes(spec, path, r.method.toLowerCase())[0]), expect.any(String)]);
        lastId = res.json().id ?? lastId;
      }
    });

    it('the error catalogue names the codes a client gets', async () => {
      const id = (await json('POST', '/issuers/demo-university/micro-credentials', fullRequest)).json().id;
      const change = async (item: Record<string, unknown>) => {
        const res = await json('POST', '/credentials/status', { credentialId: id, credentialStatus: [item] });
        return [res.statusCode, res.json().code];
      };
      expect(await change({ statusPurpose: 'suspension', status: true })).toEqual([400, 'INVALID_REQUEST']);
      expect(await change({ type: 'StatusList2021Entry', status: 'revoked' })).toEqual([400, 'INVALID_REQUEST']);
      expect(await change({ type: 'BitstringStatusListEntry', status: 'foo' })).toEqual([400, 'INVALID_REQUEST']);
      expect(await change({ type: 'BitstringStatusListEntry', status: true })).toEqual([400, 'STATUS_CHANGE_INVALID']);
      expect(await change({ type: 'BitstringStatusListEntry', statusPurpose: 'suspension', status: true })).toEqual([422, 'STATUS_PURPOSE_NOT_ALLOCATED']);
      expect(await change({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', status: true })).toEqual([200, undefined]);
      expect(await change({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', status: false })).toEqual([409, 'STATUS_REVOCATION_FINAL']);

      const rows = Array.from({ length: 10_001 }, () => ({ learner: { givenName: 'A', familyName: 'B' } }));
      const tooMany = await json('POST', '/issuers/demo-university/batches', { rows });
      expect([tooMany.statusCode, tooMany.json().code]).toEqual([400, 'INVALID_REQUEST']);
      for (const ids of [[], Array.from({ length: 501 }, (_, i) => `urn:x:${i}`)]) {
        const res = await json('POST', '/issuers/demo-university/offers/batch', { credential_ids: ids });
        expect([res.statusCode, res.json().code]).toEqual([400, 'INVALID_REQUEST']);
      }
      const slug = await json('GET', '/admin/institutions/NOPE_', undefined, t.admin);
      expect([slug.statusCode, slug.json().code]).toEqual([400, 'INVALID_REQUEST']);
      // …and the catalogue says so where the schema answers before the code's own check.
      const catalogue = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
      for (const code of ['BATCH_TOO_LARGE', 'BATCH_SIZE', 'SLUG_INVALID', 'STATUS_CHANGE_INVALID']) {
        expect(new RegExp(`^\\| \`${code}\` \\|.*\`INVALID_REQUEST\``, 'm').test(catalogue), code).toBe(true);
      }
    });

    it("the README's human codes and report checks are the service's", async () => {
      const codes = [...README.matchAll(/"assessment": \{"type": "([^"]+)"\}/g)].map((m) => m[1]!);
      expect(codes.length).toBeGreaterThan(1);
      for (const code of codes) {
        const res = await json('POST', '/issuers/demo-university/micro-credentials', { ...fullRequest, assessment: { type: code } });
        expect([code, res.statusCode]).toEqual([code, 201]);
      }
      // Results of a presentation come from these checks besides the credential's (verifying/service.ts adds `challenge`).
      for (const check of ['presentation', 'challenge']) expect(README).toMatch(new RegExp(`^\\| \`${check}\` \\|`, 'm'));
      expect(README).toMatch(/^\| `challenge` \|.*PRESENTATION_CHALLENGE_REPLAYED.*PRESENTATION_CHALLENGE_EXPIRED.*PRESENTATION_DOMAIN_MISMATCH/m);
    });

    it('a NUL character is kept in an issued credential and refused where the database holds text or jsonb', async () => {
      const credential = { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/undefined-terms/v2'], type: ['VerifiableCredential'], credentialSubject: { name: 'a\u0000b' } };
      const issued = await json('POST', '/credentials/issue', { credential });
      expect(issued.statusCode, issued.body).toBe(201);
      const read = await json('GET', `/credentials/${encodeURIComponent(issued.json().verifiableCredential.id)}`);
      expect(read.body).toContain('"a\\u0000b"');
      const refusals = [
        await json('POST', '/issuers/demo-university/templates', { name: 'a\u0000b', spec: courseSpec }),
        await json('POST', '/issuers/demo-university/templates', { name: 'ab', spec: { ...courseSpec, prerequisites: 'a\u0000b' } }),
        await json('POST', '/issuers/demo-university/batches', { rows: [{ ...fullRequest, learner: { givenName: 'a\u0000b', familyName: 'B' } }] }),
        await json('POST', '/issuers/demo-university/credentials/prepared', { credential }),
        await json('POST', '/admin/institutions', { slug: 'nul-u', legalName: 'a\u0000b', country: 'BE', legalIdentifiers: { eidas: 'NTRBE-nul' } }, t.admin),
        await json('POST', '/admin/registry/organisations', { kind: 'qa-agency', legalName: 'a\u0000b', uris: ['https://qa.example/nul'] }, t.admin),
      ];
      expect(refusals.map((r) => [r.statusCode, r.json().code])).toEqual(refusals.map(() => [400, 'INVALID_TEXT']));
    });
  });
}

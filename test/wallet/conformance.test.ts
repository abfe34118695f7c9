import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { didKeyOf, holderKey, keyProof, v2Credential } from './helpers.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const ISSUER_ORIGIN = 'https://issuer.test';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
// RFC 6749 §5.2 / OID4VCI 1.0 §8.3.1.2: error_description is %x20-21 / %x23-5B / %x5D-7E only.
const OAUTH_TEXT = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

const v1Credential = () => ({
  '@context': [VC_V1, 'https://www.w3.org/2018/credentials/examples/v1'],
  type: ['VerifiableCredential', 'UniversityDegreeCredential'],
  credentialSubject: { degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' } },
});

for (const kind of storeKinds) {
  describe(`OID4VCI 1.0 conformance: nonce endpoint, key ids, error codes and texts, scopes, formats [${kind}]`, () => {
    let t: TestApp;
    let a: { slug: string; auth: { authorization: string } };
    const iss = (slug: string) => `${ISSUER_ORIGIN}/issuers/${slug}`;

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      a = await t.createInstitution('uni-a');
    });
    afterAll(async () => t?.close());

    async function offerFor(credential: Record<string, unknown> = v2Credential(), body: Record<string, unknown> = {}, inst = a) {
      const p = await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/prepared`, headers: inst.auth, payload: { credential } });
      expect(p.statusCode, p.body).toBe(201);
      const o = await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/${encodeURIComponent(p.json().id)}/offers`, headers: inst.auth, payload: { qr: false, tx_code: false, ...body } });
      expect(o.statusCode, o.body).toBe(201);
      const offer = o.json();
      return { code: offer.credential_offer.grants[GRANT]['pre-authorized_code'] as string, ids: offer.credential_offer.credential_configuration_ids as string[] };
    }
    const token = (params: Record<string, string>, slug = a.slug) =>
      t.app.inject({ method: 'POST', url: `/issuers/${slug}/token`, headers: FORM, payload: new URLSearchParams({ grant_type: GRANT, ...params }).toString() });
    const redeem = async (code: string, extra: Record<string, string> = {}, slug = a.slug) => {
      const r = await token({ 'pre-authorized_code': code, ...extra }, slug);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { access_token: string; authorization_details?: Array<{ type: string; credential_configuration_id: string; credential_identifiers: string[] }> };
    };
    const nonce = async (slug = a.slug) => (await t.app.inject({ method: 'POST', url: `/issuers/${slug}/nonce` })).json().c_nonce as string;
    const credential = (accessToken: string, body: unknown, slug = a.slug) =>
      t.app.inject({ method: 'POST', url: `/issuers/${slug}/credential`, headers: { authorization: `Bearer ${accessToken}` }, payload: body as object });
    const request = (proof: string, id = 'VerifiableCredential_ldp_vc') => ({ credential_configuration_id: id, proofs: { jwt: [proof] } });
    const metadata = async () => (await t.app.inject({ method: 'GET', url: `/.well-known/openid-credential-issuer/issuers/${a.slug}` })).json();

    it('the nonce endpoint answers any POST, whatever its body or content type, with an uncached c_nonce', async () => {
      const cases: Array<[string, Record<string, string>, string | Buffer | undefined]> = [
        ['JSON type, no body', { 'content-type': 'application/json' }, undefined],
        ['JSON type, empty string', { 'content-type': 'application/json' }, ''],
        ['JSON {}', { 'content-type': 'application/json' }, '{}'],
        ['JSON type, not JSON', { 'content-type': 'application/json' }, '{"broken'],
        ['empty form', FORM, ''],
        ['form', FORM, 'a=1&a=2'],
        ['text', { 'content-type': 'text/plain' }, 'hello'],
        ['binary', { 'content-type': 'application/octet-stream' }, Buffer.from([0, 1, 2, 255])],
        ['no content type', {}, undefined],
      ];
      const seen = new Set<string>();
      for (const [why, headers, payload] of cases) {
        const r = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/nonce`, headers, ...(payload !== undefined ? { payload } : {}) });
        expect(r.statusCode, `${why}: ${r.body}`).toBe(200);
        expect(r.headers['cache-control'], why).toBe('no-store');
        expect(r.headers['content-type'], why).toMatch(/^application\/json/);
        expect(typeof r.json().c_nonce, why).toBe('string');
        seen.add(r.json().c_nonce);
      }
      expect(seen.size).toBe(cases.length);
      const huge = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/nonce`, headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(20_000) });
      expect([huge.statusCode, huge.json().error, huge.headers['cache-control']]).toEqual([413, 'invalid_request', 'no-store']);
      // The token endpoint still takes forms only, and unknown issuers are still not found.
      const jsonToken = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/token`, headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect(jsonToken.json().error).toBe('invalid_request');
      const unknown = await t.app.inject({ method: 'POST', url: '/issuers/nope/nonce', headers: { 'content-type': 'application/json' } });
      expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'INSTITUTION_NOT_FOUND']);
    });

    it('a bare did:key or did:jwk DID is a usable proof kid; other methods and malformed DIDs are invalid_proof', async () => {
      const key = await holderKey('EdDSA');
      for (const kid of [key.did, didKeyOf(key)]) {
        const { code } = await offerFor();
        const { access_token } = await redeem(code);
        const r = await credential(access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce() }, { kid })));
        expect(r.statusCode, `${kid}: ${r.body}`).toBe(200);
        expect(r.json().credentials[0].credential.credentialSubject.id).toBe(kid);
      }
      const { code } = await offerFor();
      const { access_token } = await redeem(code);
      const bad = ['did:web:issuer.test', 'did:example:123', 'did:key:zNotAKey', 'did:jwk:!!!', `${key.did}#`, 'did:key:', `${didKeyOf(await holderKey())}`, 'z6Mk'];
      for (const kid of bad) {
        const r = await credential(access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce() }, { kid })));
        expect([r.statusCode, r.json().error], kid).toEqual([400, 'invalid_proof']);
      }
    });

    it('a proof without a nonce is invalid_proof; a nonce that is unknown is invalid_nonce with a fresh one', async () => {
      const { code } = await offerFor();
      const { access_token } = await redeem(code);
      const key = await holderKey();
      const missing = await credential(access_token, request(await keyProof(key, { aud: iss(a.slug) })));
      expect([missing.statusCode, missing.json().error]).toEqual([400, 'invalid_proof']);
      const unknown = await credential(access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: 'never-issued' })));
      expect([unknown.statusCode, unknown.json().error, typeof unknown.json().c_nonce]).toEqual([400, 'invalid_nonce', 'string']);
    });

    it('a configuration the access token does not cover is 403 insufficient_scope with a Bearer challenge', async () => {
      const { code } = await offerFor(v2Credential(), { credential_configuration_ids: ['VerifiableCredential_ldp_vc'] });
      const { access_token } = await redeem(code);
      const key = await holderKey();
      const r = await credential(access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce() }), 'VerifiableCredential_jwt_vc_json'));
      expect([r.statusCode, r.json().error]).toEqual([403, 'insufficient_scope']);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer error="insufficient_scope", error_description="[^"]+"$/);
      expect(r.headers['cache-control']).toBe('no-store');
      const legacy = await credential(access_token, { format: 'vc+jwt', proof: { proof_type: 'jwt', jwt: await keyProof(key, { aud: iss(a.slug), nonce: await nonce() }) } });
      expect([legacy.statusCode, legacy.json().error]).toEqual([403, 'insufficient_scope']);
      // The nonce of a refused request is not spent: the covered configuration still works with it.
      const n = await nonce();
      await credential(access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: n }), 'VerifiableCredential_jwt_vc_json'));
      expect((await credential(access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: n })))).statusCode).toBe(200);
    });

    it('every error_description and Bearer challenge holds only the characters OAuth allows, and echoes no client input', async () => {
      const { code } = await offerFor(v2Credential(), { credential_configuration_ids: ['VerifiableCredential_ldp_vc'] });
      const key = await holderKey();
      const responses = [
        await token({ 'pre-authorized_code': 'unknown"é\\' }),
        await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/token`, headers: FORM, payload: `grant_type=${encodeURIComponent(GRANT)}&x"é\\=1&x"é\\=2` }),
        await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/token`, headers: FORM, payload: `grant_type=${encodeURIComponent(GRANT)}&pre-authorized_code=a&pre-authorized_code=b` }),
        await token({ 'pre-authorized_code': (await offerFor()).code, authorization_details: '[{"type":"openid_credential","credential_configuration_id":"Nope\\"é"}]' }),
        await token({ 'pre-authorized_code': 'x', resource: 'https://evil.example/"é' }),
      ];
      const { access_token } = await redeem(code);
      const proof = async (header: Record<string, unknown> = {}) => keyProof(key, { aud: iss(a.slug), nonce: await nonce() }, header);
      responses.push(
        await credential(access_token, request(await proof(), 'Nope"é\\')),
        await credential(access_token, { format: 'jwt_vc_json"é', proof: { proof_type: 'jwt', jwt: await proof() } }),
        await credential(access_token, request(await proof(), 'VerifiableCredential_jwt_vc_json')),
        await credential(access_token, request(await proof({ typ: 'JWT' }))),
        await credential(access_token, request(await proof({ kid: 'did:jwk:"é\\' }))),
        await credential(access_token, request(await proof({ kid: undefined, jwk: { kty: 'OKP', crv: 'Ed25519', x: '"é' } }))),
        await credential(access_token, request(await proof({ kid: `${key.did}#1` }))),
        await credential(access_token, { proofs: { jwt: [await proof()] }, credential_identifier: 'x"é' }),
        await credential(access_token, { proofs: 'x', credential_configuration_id: 'VerifiableCredential_ldp_vc' }),
        await credential('not-a-token', request(await proof())),
      );
      for (const r of responses) {
        const body = r.json();
        expect(body.error, r.body).toMatch(/^[a-z_]+$/);
        expect(body.error_description, r.body).toMatch(OAUTH_TEXT);
        expect(body.error_description, r.body).not.toMatch(/Nope|evil|x'e/);
        if (r.headers['www-authenticate']) expect(String(r.headers['www-authenticate'])).toMatch(/^Bearer error="[a-z_]+", error_description="[\x20\x21\x23-\x5B\x5D-\x7E]*"$/);
      }
      expect(responses.map((r) => r.json().error)).toEqual([
        'invalid_grant',
        'invalid_request',
        'invalid_request',
        'invalid_authorization_details',
        'invalid_target',
        'unknown_credential_configuration',
        'unknown_credential_configuration',
        'insufficient_scope',
        'invalid_proof',
        'invalid_proof',
        'invalid_proof',
        'invalid_proof',
        'invalid_credential_request',
        'invalid_credential_request',
        'invalid_token',
      ]);
    });

    it('ldp_vc configurations advertise the data model they deliver: VC 1.1 and VC 2.0 credentials get different ones', async () => {
      const supported = (await metadata()).credential_configurations_supported as Record<string, { format: string; credential_definition: { '@context'?: string[] } }>;
      const key = await holderKey();
      for (const [cred, base] of [[v1Credential(), VC_V1], [v2Credential(), VC_V2]] as const) {
        const { code, ids } = await offerFor(cred);
        const ldp = ids.filter((id) => supported[id]!.format === 'ldp_vc');
        expect(ldp, base).toHaveLength(1);
        expect(supported[ldp[0]!]!.credential_definition['@context']![0], base).toBe(base);
        const { access_token } = await redeem(code);
        const r = await credential(access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce() }), ldp[0]));
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json().credentials[0].credential['@context'][0], base).toBe(base);
      }
      // An EDC credential in the VC 2.0 model is not offered under the EDC configuration, which advertises VC 1.1.
      const edc2 = { ...v2Credential(), type: ['VerifiableCredential', 'EuropeanDigitalCredential'] };
      const { ids } = await offerFor(edc2);
      expect(ids).not.toContain('EuropeanDigitalCredential_ldp_vc');
      for (const id of ids) {
        const ctx = supported[id]!.credential_definition['@context'];
        if (ctx) expect(ctx[0], id).toBe(VC_V2);
      }
    });

    it('VC 2.0 credentials secured with JOSE are advertised and delivered as vc+jwt, not as jwt_vc_json', async () => {
      const supported = (await metadata()).credential_configurations_supported as Record<string, { format: string; credential_definition: Record<string, unknown> }>;
      const formats = Object.values(supported).map((c) => c.format);
      expect(formats).not.toContain('jwt_vc_json');
      expect(supported.VerifiableCredential_jwt_vc_json).toMatchObject({ format: 'vc+jwt', credential_definition: { type: ['VerifiableCredential'] } });
      expect(supported.EuropeanDigitalCredential_jwt_vc_json!.format).toBe('vc+jwt');
      const { code, ids } = await offerFor();
      expect([...ids].sort()).toEqual(['VerifiableCredential_jwt_vc_json', 'VerifiableCredential_ldp_vc']);
      const { access_token } = await redeem(code);
      const key = await holderKey();
      const legacyFormat = await credential(access_token, { format: 'jwt_vc_json', proof: { proof_type: 'jwt', jwt: await keyProof(key, { aud: iss(a.slug), nonce: await nonce() }) } });
      expect(legacyFormat.json().error).toBe('unknown_credential_configuration');
      const r = await credential(access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce() }), 'VerifiableCredential_jwt_vc_json'));
      expect(r.statusCode, r.body).toBe(200);
      const jwt = r.json().credentials[0].credential as string;
      expect(decodeProtectedHeader(jwt).typ).toBe('vc+jwt');
      const payload = decodeJwt(jwt);
      expect(payload.vc).toBeUndefined();
      expect((payload['@context'] as string[])[0]).toBe(VC_V2);
    });

    it('authorization_details narrows the token to the configurations asked for and returns credential_identifiers to fetch them with', async () => {
      const { code } = await offerFor();
      const details = [{ type: 'openid_credential', credential_configuration_id: 'VerifiableCredential_ldp_vc', claims: [{ path: ['credentialSubject', 'name'] }], extension: true }];
      const res = await redeem(code, { authorization_details: JSON.stringify(details) });
      expect(res.authorization_details).toEqual([{ type: 'openid_credential', credential_configuration_id: 'VerifiableCredential_ldp_vc', credential_identifiers: [expect.any(String)] }]);
      const identifier = res.authorization_details![0]!.credential_identifiers[0]!;
      const key = await holderKey();
      const proof = async () => keyProof(key, { aud: iss(a.slug), nonce: await nonce() });
      const unknown = await credential(res.access_token, { credential_identifier: 'not-issued', proofs: { jwt: [await proof()] } });
      expect([unknown.statusCode, unknown.json().error]).toEqual([400, 'unknown_credential_identifier']);
      const both = await credential(res.access_token, { credential_identifier: identifier, credential_configuration_id: 'VerifiableCredential_ldp_vc', proofs: { jwt: [await proof()] } });
      expect(both.json().error).toBe('invalid_credential_request');
      const other = await credential(res.access_token, request(await proof(), 'VerifiableCredential_jwt_vc_json'));
      expect([other.statusCode, other.json().error]).toEqual([403, 'insufficient_scope']);
      const ok = await credential(res.access_token, { credential_identifier: identifier, proofs: { jwt: [await proof()] } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().credentials[0].credential.proof.type).toBe('DataIntegrityProof');
      // A token issued without authorization_details has no credential identifiers.
      const plain = await redeem((await offerFor()).code);
      expect(plain.authorization_details).toBeUndefined();
      const refused = await credential(plain.access_token, { credential_identifier: identifier, proofs: { jwt: [await proof()] } });
      expect(refused.json().error).toBe('invalid_credential_request');
      const audit = await t.db.query<{ detail: { configurationIds?: string[] } }>("SELECT detail FROM audit_log WHERE action = 'offer.redeemed' AND detail ? 'configurationIds' ORDER BY id");
      expect(audit.rows.at(-1)?.detail.configurationIds).toEqual(['VerifiableCredential_ldp_vc']);
    });

    it('invalid authorization_details: invalid_request when not a JSON array, invalid_authorization_details when an entry is wrong; the code stays usable', async () => {
      const { code } = await offerFor(v2Credential(), { credential_configuration_ids: ['VerifiableCredential_ldp_vc'] });
      const cases: Array<[string, string]> = [
        ['not json', 'invalid_request'],
        ['{"type":"openid_credential"}', 'invalid_request'],
        ['[]', 'invalid_request'],
        ['[1]', 'invalid_authorization_details'],
        ['[{"type":"payment_initiation","credential_configuration_id":"VerifiableCredential_ldp_vc"}]', 'invalid_authorization_details'],
        ['[{"type":"openid_credential"}]', 'invalid_authorization_details'],
        ['[{"type":"openid_credential","credential_configuration_id":7}]', 'invalid_authorization_details'],
        ['[{"type":"openid_credential","credential_configuration_id":"VerifiableCredential_jwt_vc_json"}]', 'invalid_authorization_details'],
        ['[{"type":"openid_credential","credential_configuration_id":"Unknown"}]', 'invalid_authorization_details'],
        ['[{"type":"openid_credential","credential_configuration_id":"VerifiableCredential_ldp_vc","locations":["https://evil.example"]}]', 'invalid_authorization_details'],
        ['[{"type":"openid_credential","credential_configuration_id":"VerifiableCredential_ldp_vc","claims":[]}]', 'invalid_authorization_details'],
      ];
      for (const [details, error] of cases) {
        const r = await token({ 'pre-authorized_code': code, authorization_details: details });
        expect([r.statusCode, r.json().error], details).toEqual([400, error]);
        expect(r.headers['cache-control']).toBe('no-store');
      }
      const withLocation = JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'VerifiableCredential_ldp_vc', locations: [iss(a.slug)] }]);
      const res = await redeem(code, { authorization_details: withLocation });
      expect(res.authorization_details?.map((d) => d.credential_configuration_id)).toEqual(['VerifiableCredential_ldp_vc']);
    });

    it('one c_nonce serves each configuration of one access token once, and never another token', async () => {
      const first = await redeem((await offerFor()).code);
      const second = await redeem((await offerFor()).code);
      const key = await holderKey();
      const n = await nonce();
      const withNonce = async () => keyProof(key, { aud: iss(a.slug), nonce: n });
      expect((await credential(first.access_token, request(await withNonce()))).statusCode).toBe(200);
      const elsewhere = await credential(second.access_token, request(await withNonce()));
      expect(elsewhere.json().error).toBe('invalid_nonce');
      const jwt = await credential(first.access_token, request(await withNonce(), 'VerifiableCredential_jwt_vc_json'));
      expect(jwt.statusCode, jwt.body).toBe(200);
      const again = await credential(first.access_token, request(await withNonce(), 'VerifiableCredential_jwt_vc_json'));
      expect(again.json().error).toBe('invalid_nonce');
      // A nonce left unused by a narrowed token is not widened to configurations outside its scope.
      const narrowed = await redeem((await offerFor()).code, { authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'VerifiableCredential_ldp_vc' }]) });
      const m = await nonce();
      const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM wallet_nonces')).rows[0]!.n;
      const before = await count();
      expect((await credential(narrowed.access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: m })))).statusCode).toBe(200);
      expect(await count()).toBe(before - 1);
      const outside = await credential(narrowed.access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: m }), 'VerifiableCredential_jwt_vc_json'));
      expect(outside.json().error).toBe('insufficient_scope');
    });

    it('the spare use a nonce leaves for a token cannot be presented as a nonce of its own', async () => {
      const first = await redeem((await offerFor()).code);
      const second = await redeem((await offerFor()).code);
      const key = await holderKey();
      const n = await nonce();
      expect((await credential(first.access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: n })))).statusCode).toBe(200);
      // The holder of the first token knows everything the spare use is derived from.
      const tokenHash = createHash('sha256').update(first.access_token).digest('hex');
      const forged = `${n}\n${tokenHash}\nVerifiableCredential_jwt_vc_json`;
      const res = await credential(second.access_token, request(await keyProof(key, { aud: iss(a.slug), nonce: forged }), 'VerifiableCredential_jwt_vc_json'));
      expect(res.json().error).toBe('invalid_nonce');
    });

    it('the Bearer scheme name is matched case-insensitively', async () => {
      const { code } = await offerFor();
      const { access_token } = await redeem(code);
      const key = await holderKey();
      const r = await t.app.inject({
        method: 'POST',
        url: `/issuers/${a.slug}/credential`,
        headers: { authorization: `bearer ${access_token}` },
        payload: request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce() })),
      });
      expect(r.statusCode, r.body).toBe(200);
    });
  });
}

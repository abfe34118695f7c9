import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { holderKey, keyProof, unsignedJwt, v2Credential, type HolderKey } from './helpers.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const ISSUER_ORIGIN = 'https://issuer.test';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const kind of storeKinds) {
  describe(`OID4VCI protocol endpoints: negative paths and codes [${kind}]`, () => {
    let t: TestApp;
    let offset = 0;
    let a: { slug: string; auth: { authorization: string } };
    let b: { slug: string; auth: { authorization: string } };
    const iss = (slug: string) => `${ISSUER_ORIGIN}/issuers/${slug}`;

    beforeAll(async () => {
      t = await buildTestApp({ kind, deps: { now: () => new Date(Date.now() + offset) } });
      a = await t.createInstitution('uni-a');
      b = await t.createInstitution('uni-b');
    });
    afterAll(async () => t?.close());

    async function offerFor(inst = a, body: Record<string, unknown> = { qr: false }) {
      const p = await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/prepared`, headers: inst.auth, payload: { credential: v2Credential() } });
      expect(p.statusCode, p.body).toBe(201);
      const o = await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/${encodeURIComponent(p.json().id)}/offers`, headers: inst.auth, payload: body });
      expect(o.statusCode, o.body).toBe(201);
      const offer = o.json();
      const code = offer.credential_offer.grants[GRANT]['pre-authorized_code'] as string;
      return { preparedId: p.json().id as string, offer, code, tx: offer.tx_code as string | undefined };
    }
    const token = (slug: string, params: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: `/issuers/${slug}/token`, headers: FORM, payload: new URLSearchParams(params).toString() });
    const redeem = async (slug: string, code: string, tx?: string) => {
      const r = await token(slug, { grant_type: GRANT, 'pre-authorized_code': code, ...(tx ? { tx_code: tx } : {}) });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().access_token as string;
    };
    const nonce = async (slug = a.slug) => (await t.app.inject({ method: 'POST', url: `/issuers/${slug}/nonce` })).json().c_nonce as string;
    const credential = (slug: string, accessToken: string, body: unknown) =>
      t.app.inject({ method: 'POST', url: `/issuers/${slug}/credential`, headers: { authorization: `Bearer ${accessToken}` }, payload: body as object });
    const request = (proof: string, id = 'VerifiableCredential_ldp_vc') => ({ credential_configuration_id: id, proofs: { jwt: [proof] } });

    it('serves issuer metadata at the 1.0 and the legacy location and AS metadata with the pre-authorized grant', async () => {
      const m1 = await t.app.inject({ method: 'GET', url: `/.well-known/openid-credential-issuer/issuers/${a.slug}` });
      const m2 = await t.app.inject({ method: 'GET', url: `/issuers/${a.slug}/.well-known/openid-credential-issuer` });
      expect(m1.statusCode).toBe(200);
      expect(m1.json()).toEqual(m2.json());
      const md = m1.json();
      expect(md).toMatchObject({ credential_issuer: iss(a.slug), credential_endpoint: `${iss(a.slug)}/credential`, nonce_endpoint: `${iss(a.slug)}/nonce` });
      expect(md.credential_configurations_supported.EuropeanDigitalCredential_ldp_vc).toMatchObject({
        format: 'ldp_vc',
        cryptographic_binding_methods_supported: ['did:key', 'did:jwk'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA', 'ES256', 'ES384'] } },
        credential_definition: { '@context': ['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap'] },
      });
      expect(md.credential_configurations_supported.VerifiableCredential_jwt_vc_json.cryptographic_binding_methods_supported).toContain('jwk');
      const as = (await t.app.inject({ method: 'GET', url: `/.well-known/oauth-authorization-server/issuers/${a.slug}` })).json();
      expect(as).toMatchObject({ issuer: iss(a.slug), token_endpoint: `${iss(a.slug)}/token`, grant_types_supported: [GRANT], 'pre-authorized_grant_anonymous_access_supported': true });
      expect((await t.app.inject({ method: 'GET', url: '/.well-known/openid-credential-issuer/issuers/nope' })).statusCode).toBe(404);
    });

    it('a replayed pre-authorized code is invalid_grant and revokes the token issued for it', async () => {
      const { code, tx } = await offerFor();
      const at = await redeem(a.slug, code, tx);
      const replay = await token(a.slug, { grant_type: GRANT, 'pre-authorized_code': code, tx_code: tx! });
      expect(replay.statusCode).toBe(400);
      expect(replay.json().error).toBe('invalid_grant');
      expect(replay.headers['cache-control']).toBe('no-store');
      const key = await holderKey();
      const res = await credential(a.slug, at, request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce() })));
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    });

    it('wrong tx_codes count down to lock-out; then even the right code is refused', async () => {
      const { code, tx } = await offerFor();
      const wrong = tx === '000000' ? '111111' : '000000';
      const descriptions: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await token(a.slug, { grant_type: GRANT, 'pre-authorized_code': code, tx_code: wrong });
        expect(r.statusCode).toBe(400);
        expect(r.json().error).toBe('invalid_grant');
        descriptions.push(r.json().error_description);
      }
      expect(descriptions[0]).toMatch(/4 attempt/);
      expect(descriptions[4]).toMatch(/now invalid/);
      const right = await token(a.slug, { grant_type: GRANT, 'pre-authorized_code': code, tx_code: tx! });
      expect(right.json()).toMatchObject({ error: 'invalid_grant' });
      const audit = await t.db.query("SELECT 1 FROM audit_log WHERE action = 'offer.locked'");
      expect(audit.rows.length).toBeGreaterThan(0);
    });

    it('token endpoint request errors: missing tx_code, unexpected tx_code, grant type, repeated or JSON parameters, resource', async () => {
      const { code } = await offerFor();
      const cases: Array<[Record<string, string> | string, string, string?]> = [
        [{ grant_type: GRANT, 'pre-authorized_code': code }, 'invalid_request'],
        [{ grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type'],
        [{ 'pre-authorized_code': code }, 'invalid_request'],
        [{ grant_type: GRANT }, 'invalid_request'],
        [`grant_type=${encodeURIComponent(GRANT)}&pre-authorized_code=${code}&pre-authorized_code=${code}`, 'invalid_request'],
        [{ grant_type: GRANT, 'pre-authorized_code': code, tx_code: '123456', resource: 'https://evil.example' }, 'invalid_target'],
        [{ grant_type: GRANT, 'pre-authorized_code': 'not-a-code', tx_code: '123456' }, 'invalid_grant'],
      ];
      for (const [params, error] of cases) {
        const r = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/token`, headers: FORM, payload: typeof params === 'string' ? params : new URLSearchParams(params).toString() });
        expect([r.statusCode, r.json().error], JSON.stringify(params)).toEqual([400, error]);
      }
      const json = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/token`, payload: { grant_type: GRANT, 'pre-authorized_code': code } });
      expect(json.json().error).toBe('invalid_request');
      const noTx = await offerFor(a, { tx_code: false, qr: false });
      const unexpected = await token(a.slug, { grant_type: GRANT, 'pre-authorized_code': noTx.code, tx_code: '123456' });
      expect(unexpected.json().error).toBe('invalid_request');
      // The code of issuer A is unknown at issuer B.
      const elsewhere = await token(b.slug, { grant_type: GRANT, 'pre-authorized_code': noTx.code });
      expect(elsewhere.json().error).toBe('invalid_grant');
    });

    it('an expired offer cannot be fetched or redeemed', async () => {
      const { code, tx, offer } = await offerFor();
      const handle = new URL(offer.credential_offer_uri).searchParams.get('token');
      const ok = await t.app.inject({ method: 'GET', url: `/issuers/${a.slug}/credential-offer?token=${handle}` });
      expect(ok.json()).toEqual(offer.credential_offer);
      offset = 601_000;
      try {
        const r = await token(a.slug, { grant_type: GRANT, 'pre-authorized_code': code, tx_code: tx! });
        expect(r.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/expired/) });
        const gone = await t.app.inject({ method: 'GET', url: `/issuers/${a.slug}/credential-offer?token=${handle}` });
        expect([gone.statusCode, gone.json().code]).toEqual([404, 'OFFER_NOT_FOUND']);
      } finally {
        offset = 0;
      }
    });

    it('key proofs: other audience, alg none, HS256, wrong typ, stale iat, private jwk, kid+jwk, bad signature, unknown kid → invalid_proof', async () => {
      const { code, tx } = await offerFor();
      const at = await redeem(a.slug, code, tx);
      const key = await holderKey();
      const other = await holderKey();
      const now = Math.floor(Date.now() / 1000);
      const payload = async () => ({ aud: iss(a.slug), nonce: await nonce(), iat: now });
      const privateJwk = { ...key.publicJwk, d: Buffer.alloc(32).toString('base64url') };
      const good = await keyProof(key, await payload());
      const [h, p] = good.split('.');
      const bad: Array<[string, string]> = [
        ['other audience', await keyProof(key, { ...(await payload()), aud: iss(b.slug) })],
        ['alg none', unsignedJwt({ alg: 'none', typ: 'openid4vci-proof+jwt', kid: key.kid }, await payload())],
        ['HS256', unsignedJwt({ alg: 'HS256', typ: 'openid4vci-proof+jwt', kid: key.kid }, await payload(), 'c2lnbmF0dXJl')],
        ['wrong typ', await keyProof(key, await payload(), { typ: 'JWT' })],
        ['stale iat', await keyProof(key, { ...(await payload()), iat: now - 3600 })],
        ['private jwk', await keyProof(key, await payload(), { kid: undefined, jwk: privateJwk })],
        ['kid and jwk', await keyProof(key, await payload(), { jwk: key.publicJwk })],
        ['other key signed', await keyProof(other, await payload(), { kid: key.kid })],
        ['tampered payload', `${h}.${Buffer.from(JSON.stringify({ aud: iss(a.slug), nonce: 'x', iat: now })).toString('base64url')}.${good.split('.')[2]}`],
        ['did:web kid', await keyProof(key, await payload(), { kid: 'did:web:evil.example#key-1' })],
        ['not a jwt', 'abc'],
      ];
      void p;
      for (const [why, proof] of bad) {
        const r = await credential(a.slug, at, request(proof));
        expect([r.statusCode, r.json().error], why).toEqual([400, 'invalid_proof']);
      }
      const noProof = await credential(a.slug, at, { credential_configuration_id: 'VerifiableCredential_ldp_vc' });
      expect(noProof.json().error).toBe('invalid_proof');
      // Still deliverable with a good proof afterwards: bad proofs burn nothing of the offer.
      const r = await credential(a.slug, at, request(good));
      expect(r.statusCode, r.body).toBe(200);
    });

    it('nonces: reused for the same configuration or by another token, unknown or from another issuer → invalid_nonce with a fresh c_nonce that then works; missing → invalid_proof', async () => {
      const { code, tx } = await offerFor();
      const at = await redeem(a.slug, code, tx);
      const other = await offerFor();
      const atOther = await redeem(a.slug, other.code, other.tx);
      const key: HolderKey = await holderKey();
      const n = await nonce();
      expect((await credential(a.slug, at, request(await keyProof(key, { aud: iss(a.slug), nonce: n })))).statusCode).toBe(200);
      const byOtherToken = await credential(a.slug, atOther, request(await keyProof(key, { aud: iss(a.slug), nonce: n })));
      expect([byOtherToken.statusCode, byOtherToken.json().error]).toEqual([400, 'invalid_nonce']);
      const missing = await credential(a.slug, at, request(await keyProof(key, { aud: iss(a.slug) }), 'VerifiableCredential_jwt_vc_json'));
      expect(missing.json().error).toBe('invalid_proof');
      const otherIssuer = await credential(a.slug, at, request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce(b.slug) }), 'VerifiableCredential_jwt_vc_json'));
      expect(otherIssuer.json().error).toBe('invalid_nonce');
      const fresh = otherIssuer.json().c_nonce as string;
      const ok = await credential(a.slug, at, request(await keyProof(key, { aud: iss(a.slug), nonce: fresh }), 'VerifiableCredential_jwt_vc_json'));
      expect(ok.statusCode, ok.body).toBe(200);
      expect(typeof ok.json().credentials[0].credential).toBe('string');
      // A nonce never serves the configuration it was spent on twice.
      const reused = await credential(a.slug, at, request(await keyProof(key, { aud: iss(a.slug), nonce: fresh }), 'VerifiableCredential_jwt_vc_json'));
      expect(reused.json().error).toBe('invalid_nonce');
    });

    it('access tokens are bound to one offer and issuer; configurations are checked and delivered once', async () => {
      const offerA = await offerFor(a, { qr: false, credential_configuration_ids: ['VerifiableCredential_ldp_vc'] });
      const offerB = await offerFor(b);
      const atA = await redeem(a.slug, offerA.code, offerA.tx);
      const key = await holderKey();
      const proofFor = async (slug: string) => keyProof(key, { aud: iss(slug), nonce: await nonce(slug) });
      const atOtherIssuer = await credential(b.slug, atA, request(await proofFor(b.slug)));
      expect([atOtherIssuer.statusCode, atOtherIssuer.json().error]).toEqual([401, 'invalid_token']);
      const notOffered = await credential(a.slug, atA, request(await proofFor(a.slug), 'VerifiableCredential_jwt_vc_json'));
      expect([notOffered.statusCode, notOffered.json().error]).toEqual([403, 'insufficient_scope']);
      const unknown = await credential(a.slug, atA, request(await proofFor(a.slug), 'DoesNotExist'));
      expect(unknown.json().error).toBe('unknown_credential_configuration');
      const batch = await credential(a.slug, atA, { credential_configuration_id: 'VerifiableCredential_ldp_vc', proofs: { jwt: [await proofFor(a.slug), await proofFor(a.slug)] } });
      expect(batch.json().error).toBe('invalid_credential_request');
      const first = await credential(a.slug, atA, request(await proofFor(a.slug)));
      expect(first.statusCode, first.body).toBe(200);
      const again = await credential(a.slug, atA, request(await proofFor(a.slug)));
      expect(again.json().error).toBe('credential_request_denied');
      const noAuth = await t.app.inject({ method: 'POST', url: `/issuers/${a.slug}/credential`, payload: request(await proofFor(a.slug)) });
      expect([noAuth.statusCode, noAuth.json().error]).toEqual([401, 'invalid_token']);
      // Offer B still intact and deliverable with its own token.
      const atB = await redeem(b.slug, offerB.code, offerB.tx);
      expect((await credential(b.slug, atB, request(await proofFor(b.slug)))).statusCode).toBe(200);
      // Expired access token.
      const offerC = await offerFor();
      const atC = await redeem(a.slug, offerC.code, offerC.tx);
      offset = 301_000;
      try {
        const expired = await credential(a.slug, atC, request(await keyProof(key, { aud: iss(a.slug), nonce: await nonce(), iat: Math.floor((Date.now() + offset) / 1000) })));
        expect(expired.json().error).toBe('invalid_token');
      } finally {
        offset = 0;
      }
    });

    it('accepts the draft-13 request shape (format + singular proof) and answers in that shape', async () => {
      const { code, tx } = await offerFor();
      const at = await redeem(a.slug, code, tx);
      const key = await holderKey('ES256');
      const proof = await keyProof(key, { aud: iss(a.slug), nonce: await nonce() });
      const r = await credential(a.slug, at, { format: 'ldp_vc', credential_definition: { type: ['VerifiableCredential'] }, proof: { proof_type: 'jwt', jwt: proof } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().credential.credentialSubject.id).toBe(key.did);
      expect(typeof r.json().c_nonce).toBe('string');
    });

    it('never logs codes, tx_codes, offer handles or access tokens', async () => {
      const { code, tx, offer } = await offerFor();
      const handle = new URL(offer.credential_offer_uri).searchParams.get('token')!;
      await t.app.inject({ method: 'GET', url: `/issuers/${a.slug}/credential-offer?token=${handle}` });
      const at = await redeem(a.slug, code, tx);
      const all = t.logs.join('\n');
      for (const secret of [code, handle, at, tx!]) expect(all).not.toContain(secret);
    });
  });
}

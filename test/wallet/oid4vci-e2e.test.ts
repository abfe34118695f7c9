import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt } from 'jose';
import { Openid4vciClient, Openid4vciRetrieveCredentialsError, setGlobalConfig } from '@openid4vc/openid4vci';
import { clientAuthenticationAnonymous, HashAlgorithm, type CallbackContext, type JwtSigner } from '@openid4vc/oauth2';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { verify } from '../../src/verifying/index.js';
import { createResolver } from '../../src/did/index.js';
import { createDocumentLoader } from '../../src/jsonld/index.js';
import { createStatusChecker } from '../../src/status/index.js';
import { freePort, holderKey, v2Credential, type HolderKey } from './helpers.js';

// The wallet library refuses http:// URLs unless told otherwise; our test server is plain http on 127.0.0.1.
setGlobalConfig({ allowInsecureUrls: true });

/** The callbacks a real wallet gives the OpenWallet Foundation client: its own key signs proofs. */
function walletCallbacks(key: HolderKey): Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> {
  return {
    fetch: globalThis.fetch,
    hash: (data, alg) => createHash(alg === HashAlgorithm.Sha384 ? 'sha384' : alg === HashAlgorithm.Sha512 ? 'sha512' : 'sha256').update(data).digest(),
    generateRandom: (n) => randomBytes(n),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (_signer: JwtSigner, { header, payload }) => {
      const jwt = await new SignJWT(payload as Record<string, unknown>).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
      return { jwt, signerJwk: key.publicJwk as never };
    },
  };
}

for (const kind of storeKinds) {
  describe(`OID4VCI 1.0 end to end with @openid4vc/openid4vci as the wallet [${kind}]`, () => {
    let t: TestApp;
    let origin: string;
    let inst: { slug: string; did: string; auth: { authorization: string } };
    let verifyReport: (c: unknown) => ReturnType<typeof verify>;

    beforeAll(async () => {
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      t = await buildTestApp({ kind, env: { PUBLIC_URL: origin }, deps: { allowPrivateNetwork: true } });
      await t.app.listen({ port, host: '127.0.0.1' });
      inst = await t.createInstitution('wallet-uni', { settings: { displayName: 'Wallet University', logoUrl: 'https://wallet-uni.example/logo.png' } });
      // An independent verifier: resolves our did:web and the status list over real HTTP.
      const resolver = createResolver({ fetch: globalThis.fetch, allowPrivateHosts: true, allowHttp: true });
      const documentLoader = createDocumentLoader({ resolveDid: (url) => resolver.dereference(url) as Promise<object> });
      const statusChecker = createStatusChecker({
        fetch: globalThis.fetch,
        publicUrl: 'https://elsewhere.invalid',
        allowPrivateNetwork: true,
        verifyCredential: async (c) => ({ verified: (await verify(c, { documentLoader, resolver })).verified }),
      });
      verifyReport = (c) => verify(c, { documentLoader, resolver, statusChecker });
    });
    afterAll(async () => t?.close());

    it('resolves the deep link, redeems code + tx_code, proves possession and receives ldp_vc and vc+jwt bound to its DID', async () => {
      const prepared = await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/prepared`, headers: inst.auth, payload: { credential: v2Credential() } });
      expect(prepared.statusCode, prepared.body).toBe(201);
      const offerRes = await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/${encodeURIComponent(prepared.json().id)}/offers`, headers: inst.auth, payload: {} });
      expect(offerRes.statusCode, offerRes.body).toBe(201);
      const offer = offerRes.json();
      expect(offer.deep_link).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
      expect(offer.qr.png).toMatch(/^data:image\/png;base64,/);
      expect(offer.qr.svg).toContain('<svg');
      expect(offer.tx_code).toMatch(/^\d{6}$/);

      const key = await holderKey('EdDSA');
      const client = new Openid4vciClient({ callbacks: walletCallbacks(key) });
      const credentialOffer = await client.resolveCredentialOffer(offer.deep_link);
      expect(credentialOffer.credential_issuer).toBe(`${origin}/issuers/${inst.slug}`);
      const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
      expect(issuerMetadata.originalDraftVersion).toBe('V1');
      expect(issuerMetadata.credentialIssuer.display?.[0]).toMatchObject({ name: 'Wallet University', logo: { uri: 'https://wallet-uni.example/logo.png' } });

      const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.tx_code });
      expect(accessTokenResponse.token_type).toBe('Bearer');

      const received: Record<string, unknown> = {};
      for (const credentialConfigurationId of credentialOffer.credential_configuration_ids) {
        const { c_nonce } = await client.requestNonce({ issuerMetadata });
        const { jwt } = await client.createCredentialRequestJwtProof({
          issuerMetadata,
          credentialConfigurationId,
          nonce: c_nonce,
          signer: { method: 'did', didUrl: key.kid, alg: key.alg },
        });
        const res = await client.retrieveCredentials({ issuerMetadata, credentialConfigurationId, accessToken: accessTokenResponse.access_token, proofs: { jwt: [jwt] } });
        const first = res.credentialResponse.credentials?.[0] as { credential: unknown };
        received[credentialConfigurationId] = first.credential;
      }
      expect(Object.keys(received).sort()).toEqual(['VerifiableCredential_jwt_vc_json', 'VerifiableCredential_ldp_vc']);

      const ldp = received.VerifiableCredential_ldp_vc as Record<string, unknown>;
      expect((ldp.credentialSubject as { id: string }).id).toBe(key.did);
      expect((ldp.proof as { cryptosuite: string }).cryptosuite).toBe('eddsa-rdfc-2022');
      const ldpReport = await verifyReport(ldp);
      expect(ldpReport.verdict, JSON.stringify(ldpReport.results)).toBe('valid');
      expect(ldpReport.results.find((r) => r.check === 'status')?.status).toBe('passed');

      const jwtVc = received.VerifiableCredential_jwt_vc_json as string;
      expect(typeof jwtVc).toBe('string');
      expect(decodeJwt(jwtVc).sub).toBe(key.did);
      const jwtReport = await verifyReport(jwtVc);
      expect(jwtReport.verdict, JSON.stringify(jwtReport.results)).toBe('valid');
      expect(ldp.id).not.toBe(decodeJwt(jwtVc).jti);

      const audit = await t.db.query<{ action: string; target_id: string }>("SELECT action, target_id FROM audit_log WHERE action = 'credential.delivered' ORDER BY id");
      expect(audit.rows.map((r) => r.target_id)).toEqual([ldp.id, decodeJwt(jwtVc).jti]);
      const state = await t.app.inject({ method: 'GET', url: `/issuers/${inst.slug}/offers/${offer.offer_id}`, headers: inst.auth });
      expect(state.json()).toMatchObject({ status: 'redeemed', deliveries: [{ holder: key.did }, { holder: key.did }] });
    });

    it('re-issues an already issued credential bound to a P-256 wallet key given as a bare jwk', async () => {
      const issued = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: v2Credential('Grace Hopper') } });
      expect(issued.statusCode, issued.body).toBe(201);
      const originalId = issued.json().verifiableCredential.id as string;
      const offerRes = await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/${encodeURIComponent(originalId)}/offers`, headers: inst.auth, payload: { tx_code: false, credential_configuration_ids: ['VerifiableCredential_ldp_vc'], qr: false } });
      expect(offerRes.statusCode, offerRes.body).toBe(201);
      const key = await holderKey('ES256');
      const client = new Openid4vciClient({ callbacks: walletCallbacks(key) });
      const credentialOffer = await client.resolveCredentialOffer(offerRes.json().deep_link_by_value);
      const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
      const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata });
      const { c_nonce } = await client.requestNonce({ issuerMetadata });
      const { jwt } = await client.createCredentialRequestJwtProof({
        issuerMetadata,
        credentialConfigurationId: 'VerifiableCredential_ldp_vc',
        nonce: c_nonce,
        signer: { method: 'jwk', publicJwk: key.publicJwk as never, alg: 'ES256' },
      });
      const res = await client.retrieveCredentials({ issuerMetadata, credentialConfigurationId: 'VerifiableCredential_ldp_vc', accessToken: accessTokenResponse.access_token, proofs: { jwt: [jwt] } });
      const vc = (res.credentialResponse.credentials?.[0] as { credential: Record<string, unknown> }).credential;
      expect(vc.id).not.toBe(originalId);
      expect((vc.credentialSubject as Record<string, unknown>).id).toBe(key.did);
      expect((vc.credentialSubject as Record<string, unknown>).name).toBe('Grace Hopper');
      expect((await verifyReport(vc)).verdict).toBe('valid');
      const link = await t.db.query<{ source_credential_id: string }>('SELECT source_credential_id FROM wallet_deliveries WHERE credential_id = $1', [vc.id]);
      expect(link.rows[0]?.source_credential_id).toBe(originalId);
    });

    it('the wallet library surfaces our invalid_nonce error for a nonce replayed with another access token', async () => {
      const key = await holderKey();
      const client = new Openid4vciClient({ callbacks: walletCallbacks(key) });
      const redeemed = async () => {
        const prepared = await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/prepared`, headers: inst.auth, payload: { credential: v2Credential() } });
        const offer = (await t.app.inject({ method: 'POST', url: `/issuers/${inst.slug}/credentials/${encodeURIComponent(prepared.json().id)}/offers`, headers: inst.auth, payload: { qr: false } })).json();
        const credentialOffer = await client.resolveCredentialOffer(offer.deep_link);
        const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
        const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.tx_code });
        return { issuerMetadata, accessToken: accessTokenResponse.access_token };
      };
      const first = await redeemed();
      const second = await redeemed();
      const { issuerMetadata } = first;
      const { c_nonce } = await client.requestNonce({ issuerMetadata });
      const signer = { method: 'did' as const, didUrl: key.kid, alg: key.alg };
      const credentialConfigurationId = 'VerifiableCredential_ldp_vc';
      const p1 = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId, nonce: c_nonce, signer });
      await client.retrieveCredentials({ issuerMetadata, credentialConfigurationId, accessToken: first.accessToken, proofs: { jwt: [p1.jwt] } });
      const p2 = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId, nonce: c_nonce, signer });
      const err = await client.retrieveCredentials({ issuerMetadata, credentialConfigurationId, accessToken: second.accessToken, proofs: { jwt: [p2.jwt] } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Openid4vciRetrieveCredentialsError);
      const body = (err as Openid4vciRetrieveCredentialsError).response.credentialErrorResponseResult?.data;
      expect(body?.error).toBe('invalid_nonce');
      expect(typeof body?.c_nonce).toBe('string');
    });
  });
}

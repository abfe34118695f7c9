import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsa } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createResolver } from '../../src/did/index.js';
import { createDocumentLoader } from '../../src/jsonld/index.js';

describe('presentations with a single-use challenge from /presentations/challenges', () => {
  let t: TestApp;
  let holder: string;
  let present: (challenge: string, domain: string) => Promise<Record<string, unknown>>;

  beforeAll(async () => {
    t = await buildTestApp();
    const inst = await t.createInstitution('vp-u');
    const kp = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(9) });
    holder = `did:key:${kp.publicKeyMultibase}`;
    const s = kp.signer();
    const signer = { id: `${holder}#${kp.publicKeyMultibase}`, algorithm: s.algorithm, sign: (i: { data: Uint8Array }) => s.sign(i) };
    const issued = await t.app.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: inst.auth,
      payload: { credential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { id: holder, name: 'Holder' } } },
    });
    const credential = issued.json().verifiableCredential;
    // did:key resolves offline; the holder signs with the authentication purpose.
    const resolver = createResolver({ fetch: (() => Promise.reject(new Error('no network'))) as typeof fetch });
    const documentLoader = createDocumentLoader({ resolveDid: (u) => resolver.dereference(u) as Promise<object> });
    present = async (challenge, domain) => {
      const presentation = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder, verifiableCredential: [credential] };
      return vc.signPresentation({ presentation, suite: new DataIntegrityProof({ signer, cryptosuite: eddsa }), documentLoader, challenge, domain });
    };
  });
  afterAll(async () => t.close());

  it('verifies once (200 valid), and a replay of the same presentation → 422 PRESENTATION_CHALLENGE_REPLAYED', async () => {
    const { challenge } = (await t.app.inject({ method: 'POST', url: '/presentations/challenges', payload: { domain: 'employer.example' } })).json();
    const vp = await present(challenge, 'employer.example');
    const verify = () => t.app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: vp, options: { challenge, domain: 'employer.example' } } });
    const first = await verify();
    expect(first.statusCode, JSON.stringify(first.json().results)).toBe(200);
    expect(first.json().credentials[0].verdict).toBe('valid');
    const replay = await verify();
    expect(replay.statusCode).toBe(422);
    expect(replay.json().results.find((r: { check: string }) => r.check === 'challenge')).toMatchObject({ status: 'failed', code: 'PRESENTATION_CHALLENGE_REPLAYED' });
  });

  it('a presentation for another challenge or domain fails the presentation check', async () => {
    const { challenge } = (await t.app.inject({ method: 'POST', url: '/presentations/challenges', payload: {} })).json();
    const vp = await present('some-other-challenge', 'employer.example');
    const res = await t.app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: vp, options: { challenge, domain: 'employer.example' } } });
    expect(res.statusCode).toBe(422);
    expect(res.json().results.find((r: { check: string }) => r.check === 'presentation')).toMatchObject({ status: 'failed', code: 'PRESENTATION_CHALLENGE_MISMATCH' });
  });

  it('a challenge issued for a domain binds it: a presentation for another domain fails, whatever domain the caller passes', async () => {
    const { challenge } = (await t.app.inject({ method: 'POST', url: '/presentations/challenges', payload: { domain: 'employer.example' } })).json();
    const relayed = await present(challenge, 'attacker.example');
    for (const options of [{ challenge }, { challenge, domain: 'attacker.example' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: relayed, options } });
      expect(res.statusCode, JSON.stringify(options)).toBe(422);
      expect(res.json().results.filter((r: { status: string }) => r.status === 'failed').map((r: { code: string }) => r.code)).toContain('PRESENTATION_DOMAIN_MISMATCH');
    }
    // The genuine presentation, verified without repeating the domain, is still accepted: the challenge was not spent.
    const genuine = await present(challenge, 'employer.example');
    const ok = await t.app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: genuine, options: { challenge } } });
    expect(ok.statusCode, JSON.stringify(ok.json().results)).toBe(200);
  });

  it('a presentation whose proof does not verify does not spend the challenge', async () => {
    const { challenge } = (await t.app.inject({ method: 'POST', url: '/presentations/challenges', payload: {} })).json();
    const genuine = await present(challenge, 'employer.example');
    const proof = genuine.proof as Record<string, unknown>;
    const forged = { ...genuine, proof: { ...proof, proofValue: `${String(proof.proofValue).slice(0, -4)}AAAA` } };
    const { proof: _p, ...unsigned } = genuine;
    for (const vp of [forged, unsigned]) {
      const res = await t.app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: vp, options: { challenge } } });
      expect(res.statusCode).toBe(422);
      expect(res.json().results.find((r: { check: string }) => r.check === 'challenge')).toBeUndefined();
    }
    const ok = await t.app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: genuine, options: { challenge } } });
    expect(ok.statusCode, JSON.stringify(ok.json().results)).toBe(200);
  });
});


import { beforeAll, describe, expect, it } from 'vitest';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsa } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { envelope } from '../../src/issuing/index.js';
import { verify } from '../../src/verifying/index.js';
import { makeWorld, now, v2Credential, signDi, signJwt, ISSUER, type World } from './fixtures.js';

let w: World;
let cred: Record<string, unknown>;
let jwtCred: string;
beforeAll(async () => {
  w = await makeWorld();
  cred = await signDi(w, v2Credential(w.holder), 'eddsa-rdfc-2022');
  jwtCred = await signJwt({ ...v2Credential(w.holder), iss: ISSUER }, { alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, w.jwks.ed);
});

async function diVp(credentials: unknown[], challenge: string, domain = 'verifier.example', signer = w.signers.holder, holder = w.holder) {
  // Built by hand: vc.createPresentation refuses EnvelopedVerifiableCredential entries, which VC 2.0 allows.
  const presentation = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder, verifiableCredential: credentials };
  const suite = new DataIntegrityProof({ signer, cryptosuite: eddsa, date: now() });
  return vc.signPresentation({ presentation: structuredClone(presentation), suite, documentLoader: w.documentLoader, challenge, domain });
}

function jwtVp(credentials: unknown[], nonce: string, aud = 'verifier.example') {
  const payload = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: w.holder, verifiableCredential: credentials, nonce, aud };
  return signJwt(payload, { alg: 'EdDSA', typ: 'vp+jwt', kid: w.holderVm }, w.jwks.holder);
}

const opts = (expected: Record<string, string> = { challenge: 'c-123', domain: 'verifier.example' }) => ({ documentLoader: w.documentLoader, resolver: w.resolver, now, expected });

describe('presentations', () => {
  it('DI presentation with a DI and an enveloped credential is valid, with one sub-report per credential', async () => {
    const report = await verify(await diVp([cred, envelope(jwtCred)], 'c-123'), opts());
    expect(report.errors, JSON.stringify(report, null, 1)).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.checks).toEqual(['format', 'proof', 'presentation']);
    expect(report.credentials?.map((c) => [c.summary.format, c.verdict])).toEqual([['ldp_vc', 'valid'], ['vc+jwt', 'valid']]);
    expect(report.summary).toMatchObject({ format: 'ldp_vp', holder: w.holder });
  });

  it('vp+jwt with an enveloped vc+jwt is valid', async () => {
    const report = await verify(await jwtVp([envelope(jwtCred)], 'c-123'), opts());
    expect(report.errors, JSON.stringify(report.results)).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.summary.format).toBe('vp+jwt');
  });

  it.each([
    ['replayed (old) challenge', () => diVp([cred], 'c-old'), () => opts(), 'presentation', 'PRESENTATION_CHALLENGE_MISMATCH'],
    ['no expected challenge', () => diVp([cred], 'c-123'), () => opts({}), 'presentation', 'PRESENTATION_CHALLENGE_MISMATCH'],
    ['wrong domain', () => diVp([cred], 'c-123', 'other.example'), () => opts(), 'presentation', 'PRESENTATION_DOMAIN_MISMATCH'],
    ['vp+jwt wrong nonce', () => jwtVp([envelope(jwtCred)], 'c-old'), () => opts(), 'presentation', 'PRESENTATION_CHALLENGE_MISMATCH'],
    ['holder is not the subject', () => diVp([cred], 'c-123', 'verifier.example', w.signers.stranger, w.strangerDid), () => opts(), 'presentation', 'HOLDER_NOT_SUBJECT'],
    ['holder proof by a key of someone else', () => diVp([cred], 'c-123', 'verifier.example', w.signers.stranger), () => opts(), 'proof', 'VERIFICATION_METHOD_NOT_AUTHORIZED'],
  ] as const)('%s → %s %s', async (_n, make, o, check, code) => {
    // Options are built lazily: the world (keys, loader) exists only after beforeAll.
    const report = await verify(await make(), o());
    expect(report.verdict).toBe('invalid');
    expect(report.results.find((r) => r.check === check), JSON.stringify(report.results)).toMatchObject({ status: 'failed', code });
  });

  it('a tampered enclosed credential makes the presentation invalid through its sub-report', async () => {
    const bad = { ...cred, credentialSubject: { id: w.holder, name: 'Eve' } };
    const report = await verify(await diVp([bad], 'c-123'), opts());
    expect(report.results.every((r) => r.status === 'passed')).toBe(true);
    expect(report.verdict).toBe('invalid');
    expect(report.credentials?.[0]?.results.find((r) => r.check === 'proof')?.code).toBe('PROOF_VERIFICATION_ERROR');
  });
});

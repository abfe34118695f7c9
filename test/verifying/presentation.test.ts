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

function jwtVp(credentials: unknown[], nonce: string, aud = 'verifier.example', extra: Record<string, unknown> = {}, header: Record<string, unknown> = { typ: 'vp+jwt' }) {
  const payload = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: w.holder, verifiableCredential: credentials, nonce, aud, ...extra };
  return signJwt(payload, { alg: 'EdDSA', kid: w.holderVm, ...header }, w.jwks.holder);
}

const seconds = (offset: number) => Math.floor(now().getTime() / 1000) + offset;

const opts = (expected: Record<string, string> = { challenge: 'c-123', domain: 'verifier.example' }) => ({ documentLoader: w.documentLoader, resolver: w.resolver, now, expected });

describe('presentations', () => {
  it('DI presentation with a DI and an enveloped credential is valid, with one sub-report per credential', async () => {
    const report = await verify(await diVp([cred, envelope(jwtCred)], 'c-123'), opts());
    expect(report.errors, JSON.stringify(report, null, 1)).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.checks).toEqual(['format', 'proof', 'presentation', 'validity']);
    expect(report.credentials?.map((c) => [c.summary.format, c.verdict])).toEqual([['ldp_vc', 'valid'], ['vc+jwt', 'valid']]);
    expect(report.summary).toMatchObject({ format: 'ldp_vp', holder: w.holder });
  });

  it('vp+jwt with an enveloped vc+jwt is valid', async () => {
    const report = await verify(await jwtVp([envelope(jwtCred)], 'c-123'), opts());
    expect(report.errors, JSON.stringify(report.results)).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.summary.format).toBe('vp+jwt');
    expect(report.checks).toEqual(['format', 'proof', 'presentation', 'validity']);
  });

  it.each([
    ['typ application/vp+jwt', {}, { typ: 'application/vp+jwt' }],
    ['no typ', {}, {}],
    ['nbf within the clock skew', { nbf: seconds(120) }, { typ: 'vp+jwt' }],
    ['exp within the clock skew', { exp: seconds(-120) }, { typ: 'vp+jwt' }],
    ['nbf and exp around now', { nbf: seconds(-60), exp: seconds(600) }, { typ: 'vp+jwt' }],
  ])('vp+jwt with %s is valid', async (_n, extra, header) => {
    const report = await verify(await jwtVp([envelope(jwtCred)], 'c-123', 'verifier.example', extra, header), opts());
    expect(report.errors, JSON.stringify(report.results)).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.summary.format).toBe('vp+jwt');
  });

  it.each([
    ['a Data Integrity credential', () => cred],
    ['a compact vc+jwt string', () => jwtCred],
    ['an unsecured credential', () => v2Credential(w.holder)],
  ])('vp+jwt enclosing %s → its sub-report fails JOSE_CREDENTIAL_NOT_ENVELOPED', async (_n, entry) => {
    const report = await verify(await jwtVp([entry(), envelope(jwtCred)], 'c-123'), opts());
    expect(report.verdict).toBe('invalid');
    expect(report.credentials?.[0]?.results.find((r) => r.check === 'format'), JSON.stringify(report.credentials?.[0]?.results)).toMatchObject({ status: 'failed', code: 'JOSE_CREDENTIAL_NOT_ENVELOPED' });
    expect(report.credentials?.[0]?.verdict).toBe('invalid');
    expect(report.credentials?.[1]?.verdict).toBe('valid');
  });

  it.each([
    ['replayed (old) challenge', () => diVp([cred], 'c-old'), () => opts(), 'presentation', 'PRESENTATION_CHALLENGE_MISMATCH'],
    ['no expected challenge', () => diVp([cred], 'c-123'), () => opts({}), 'presentation', 'PRESENTATION_CHALLENGE_MISMATCH'],
    ['wrong domain', () => diVp([cred], 'c-123', 'other.example'), () => opts(), 'presentation', 'PRESENTATION_DOMAIN_MISMATCH'],
    ['vp+jwt wrong nonce', () => jwtVp([envelope(jwtCred)], 'c-old'), () => opts(), 'presentation', 'PRESENTATION_CHALLENGE_MISMATCH'],
    ['vp+jwt exp in the past', () => jwtVp([envelope(jwtCred)], 'c-123', 'verifier.example', { exp: seconds(-86400) }), () => opts(), 'validity', 'EXPIRED'],
    ['vp+jwt nbf in the future', () => jwtVp([envelope(jwtCred)], 'c-123', 'verifier.example', { nbf: seconds(86400) }), () => opts(), 'validity', 'NOT_YET_VALID'],
    ['vp+jwt with a vp claim', () => jwtVp([envelope(jwtCred)], 'c-123', 'verifier.example', { vp: { type: 'VerifiablePresentation' } }), () => opts(), 'format', 'JOSE_CLAIM_FORBIDDEN'],
    ['vp+jwt with a vc claim', () => jwtVp([envelope(jwtCred)], 'c-123', 'verifier.example', { vc: {} }), () => opts(), 'format', 'JOSE_CLAIM_FORBIDDEN'],
    ['vp+jwt with a VC 1.1 payload', () => jwtVp([envelope(jwtCred)], 'c-123', 'verifier.example', { '@context': ['https://www.w3.org/2018/credentials/v1'] }), () => opts(), 'format', 'JOSE_REQUIRES_VC2'],
    ['vp+jwt typ of a credential', () => jwtVp([envelope(jwtCred)], 'c-123', 'verifier.example', {}, { typ: 'vc+jwt' }), () => opts(), 'format', 'MALFORMED_VALUE_ERROR'],
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

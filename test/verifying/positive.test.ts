import { beforeAll, describe, expect, it } from 'vitest';
import { signVcJwt, envelope } from '../../src/issuing/index.js';
import { verify, type VerificationReport } from '../../src/verifying/index.js';
import { makeWorld, now, v1Credential, v2Credential, signDi, signJwt, ISSUER, type World } from './fixtures.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const opts = () => ({ documentLoader: w.documentLoader, resolver: w.resolver, now });
const expectValid = (r: VerificationReport) => {
  expect(r.errors, JSON.stringify(r.results, null, 1)).toEqual([]);
  expect(r.verdict).toBe('valid');
  expect(r.verified).toBe(true);
};

describe('verify: every mechanism verifies valid with a resolver that knows the issuer', () => {
  it.each([
    ['eddsa-rdfc-2022', 'v2'],
    ['ecdsa-rdfc-2019', 'v2'],
    ['eddsa-rdfc-2022', 'v1'],
    ['ecdsa-rdfc-2019', 'v1'],
    ['Ed25519Signature2020', 'v1'],
  ] as const)('%s on a VC %s credential', async (suite, version) => {
    const c = version === 'v2' ? v2Credential(w.holder) : v1Credential(w.holder);
    const signed = await signDi(w, c, suite);
    const report = await verify(signed, opts());
    expectValid(report);
    expect(report.checks).toEqual(['format', 'issuer', 'proof', 'validity']);
    expect(report.results.find((r) => r.check === 'status')?.status).toBe('skipped');
    expect(report.summary).toMatchObject({ format: 'ldp_vc', issuer: ISSUER, subject: [w.holder] });
  });

  it('accepts a proof set where every proof verifies', async () => {
    const one = await signDi(w, v2Credential(w.holder), 'eddsa-rdfc-2022');
    const two = await signDi(w, v2Credential(w.holder), 'ecdsa-rdfc-2019');
    expectValid(await verify({ ...one, proof: [one.proof, two.proof] }, opts()));
  });

  it('vc+jwt (EdDSA and ES256), as compact string, JSON text and EnvelopedVerifiableCredential', async () => {
    const ed = await signJwt({ ...v2Credential(w.holder), iss: ISSUER }, { alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, w.jwks.ed);
    const es = await signJwt(v2Credential(w.holder), { alg: 'ES256', typ: 'vc+jwt', kid: `${ISSUER}#key-2` }, w.jwks.p256);
    for (const input of [ed, es, envelope(ed), JSON.stringify(envelope(es)), `data:application/vc+jwt,${ed}`]) {
      const r = await verify(input, opts());
      expectValid(r);
      expect(r.summary.format).toBe('vc+jwt');
    }
  });

  it.each([
    ['typ with the application/ prefix', { typ: 'application/vc+jwt' }],
    ['typ in another letter case', { typ: 'VC+JWT' }],
    ['no typ (as in the VC-JOSE-COSE example)', {}],
    ['no typ, cty vc', { cty: 'vc' }],
  ])('vc+jwt with %s', async (_name, extra) => {
    const jwt = await signJwt({ ...v2Credential(w.holder), iss: ISSUER }, { alg: 'EdDSA', kid: `${ISSUER}#key-1`, ...extra }, w.jwks.ed);
    for (const input of [jwt, envelope(jwt)]) {
      const r = await verify(input, opts());
      expectValid(r);
      expect(r.summary.format).toBe('vc+jwt');
    }
  });

  it('vc+jwt produced by the issuing module', async () => {
    const base = { ...w.signers.ed, signJws: async (header: Record<string, unknown>, payload: Uint8Array) => signJwt(JSON.parse(new TextDecoder().decode(payload)), header, w.jwks.ed) };
    const jwt = await signVcJwt(v2Credential(w.holder), { signer: base as never, now });
    expectValid(await verify(jwt, opts()));
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { verify, type StatusChecker } from '../../src/verifying/index.js';
import { createFastRdf, fastFirst, loadBundledContexts, withCanonicalizer } from '../../src/jsonld/index.js';
import { OverloadedError } from '../../src/workers/index.js';
import { makeWorld, now, v1Credential, v2Credential, signDi, signJwt, rawJws, ISSUER, type World } from './fixtures.js';

let w: World;
let signedV2: Record<string, unknown>;
let signedV1: Record<string, unknown>;
let jwtPayload: Record<string, unknown>;
beforeAll(async () => {
  w = await makeWorld();
  signedV2 = await signDi(w, v2Credential(w.holder), 'eddsa-rdfc-2022');
  signedV1 = await signDi(w, v1Credential(w.holder), 'eddsa-rdfc-2022');
  jwtPayload = { ...v2Credential(w.holder), iss: ISSUER };
});

const opts = (extra: Record<string, unknown> = {}) => ({ documentLoader: w.documentLoader, resolver: w.resolver, now, ...extra });
const failing = (report: Awaited<ReturnType<typeof verify>>, check: string) => report.results.find((r) => r.check === check);

describe('verify: bad Data Integrity credentials fail with a stable code', () => {
  const cases: Array<[string, () => Promise<unknown>, string, string]> = [
    ['extra @context entry added after signing', async () => ({ ...signedV2, '@context': [...(signedV2['@context'] as string[]), 'https://w3id.org/security/data-integrity/v2'] }), 'format', 'CONTEXT_NOT_ALLOWED'],
    ['unknown @context URL', async () => ({ ...signedV2, '@context': [...(signedV2['@context'] as string[]), 'https://evil.example/ctx'] }), 'format', 'CONTEXT_NOT_ALLOWED'],
    ['inline @context object', async () => ({ ...signedV2, '@context': [...(signedV2['@context'] as string[]), { foo: 'https://evil.example/foo' }] }), 'format', 'CONTEXT_NOT_ALLOWED'],
    ['duplicate @context entry', async () => ({ ...signedV1, '@context': [...(signedV1['@context'] as string[]), 'https://www.w3.org/2018/credentials/v1'] }), 'format', 'CONTEXT_NOT_ALLOWED'],
    ['undefined term added (VC 1.1)', async () => ({ ...signedV1, notATerm: 'x' }), 'format', 'UNDEFINED_TERM'],
    ['term added to a v2 credential after signing', async () => ({ ...signedV2, extra: 'x' }), 'proof', 'PROOF_VERIFICATION_ERROR'],
    ['subject changed after signing', async () => ({ ...signedV2, credentialSubject: { id: w.holder, name: 'Eve' } }), 'proof', 'PROOF_VERIFICATION_ERROR'],
    ['second bogus proof beside a good one', async () => ({ ...signedV2, proof: [signedV2.proof, { ...(signedV2.proof as object), proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKods5D2UAUL5n2Brbx' }] }), 'proof', 'PROOF_VERIFICATION_ERROR'],
    ['proof by a key not in the issuer DID document', async () => signDi(w, v2Credential(w.holder), 'eddsa-rdfc-2022', w.signers.stranger), 'proof', 'VERIFICATION_METHOD_NOT_AUTHORIZED'],
    // After the stranger's key was imported and remembered: its signature under the issuer's key id must still fail.
    ['stranger signature under the issuer key id', async () => {
      const forged = await signDi(w, v2Credential(w.holder), 'eddsa-rdfc-2022', w.signers.stranger);
      return { ...forged, proof: { ...(forged.proof as object), verificationMethod: (signedV2.proof as { verificationMethod: string }).verificationMethod } };
    }, 'proof', 'PROOF_VERIFICATION_ERROR'],
    ['proof by an issuer key not listed under assertionMethod', async () => signDi(w, v2Credential(w.holder), 'eddsa-rdfc-2022', w.signers.authOnly), 'proof', 'VERIFICATION_METHOD_NOT_AUTHORIZED'],
    ['proof by the issuer key naming another issuer', async () => signDi(w, v2Credential(w.holder, { issuer: w.strangerDid }), 'eddsa-rdfc-2022'), 'proof', 'VERIFICATION_METHOD_NOT_AUTHORIZED'],
    ['no proof', async () => { const { proof: _p, ...rest } = signedV2; return rest; }, 'proof', 'PROOF_MISSING'],
    ['four proofs', async () => ({ ...signedV2, proof: [signedV2.proof, signedV2.proof, signedV2.proof, signedV2.proof] }), 'proof', 'TOO_MANY_PROOFS'],
    ['suite not allowed', async () => ({ ...signedV2, proof: { ...(signedV2.proof as object), cryptosuite: 'bbs-2023' } }), 'proof', 'PROOF_SUITE_NOT_ALLOWED'],
    ['wrong proof purpose', async () => ({ ...signedV2, proof: { ...(signedV2.proof as object), proofPurpose: 'authentication' } }), 'proof', 'PROOF_PURPOSE_MISMATCH'],
    ['proof created in the future', async () => ({ ...signedV2, proof: { ...(signedV2.proof as object), created: '2026-01-01T00:00:00Z' } }), 'proof', 'PROOF_CREATED_IN_FUTURE'],
    ['proof expired', async () => ({ ...signedV2, proof: { ...(signedV2.proof as object), expires: '2025-01-01T00:00:00Z' } }), 'proof', 'PROOF_EXPIRED'],
    ['expired credential', async () => signDi(w, v2Credential(w.holder, { validUntil: '2025-05-01T00:00:00Z' }), 'eddsa-rdfc-2022'), 'validity', 'EXPIRED'],
    ['not-yet-valid credential', async () => signDi(w, v2Credential(w.holder, { validFrom: '2025-07-01T00:00:00Z' }), 'eddsa-rdfc-2022'), 'validity', 'NOT_YET_VALID'],
    // Both bounds lie within the clock skew of now, so neither alone would fail.
    ['validFrom after validUntil, both within the clock skew', async () => signDi(w, v2Credential(w.holder, { validFrom: '2025-06-01T12:02:00Z', validUntil: '2025-06-01T11:58:00Z' }), 'eddsa-rdfc-2022'), 'validity', 'MALFORMED_VALUE_ERROR'],
    ['validFrom after validUntil, both in the future', async () => signDi(w, v2Credential(w.holder, { validFrom: '2031-01-01T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' }), 'eddsa-rdfc-2022'), 'validity', 'MALFORMED_VALUE_ERROR'],
    ['issuanceDate after expirationDate (VC 1.1)', async () => signDi(w, v1Credential(w.holder, { issuanceDate: '2025-06-01T12:01:00+00:00', expirationDate: '2025-06-01T13:58:00+02:00' }), 'eddsa-rdfc-2022'), 'validity', 'MALFORMED_VALUE_ERROR'],
    ['expired VC 1.1 credential', async () => signDi(w, v1Credential(w.holder, { expirationDate: '2025-05-01T00:00:00Z' }), 'eddsa-rdfc-2022'), 'validity', 'EXPIRED'],
    ['date without timezone', async () => ({ ...signedV2, validFrom: '2025-01-01T00:00:00' }), 'format', 'MALFORMED_VALUE_ERROR'],
    ['a day its month does not have (Date.parse moves it to March)', async () => signDi(w, v2Credential(w.holder, { validUntil: '2030-02-30T00:00:00Z' }), 'eddsa-rdfc-2022'), 'format', 'MALFORMED_VALUE_ERROR'],
    ['29 February of a common year', async () => signDi(w, v2Credential(w.holder, { validUntil: '2031-02-29T00:00:00Z' }), 'eddsa-rdfc-2022'), 'format', 'MALFORMED_VALUE_ERROR'],
    ['issuer not a URL', async () => ({ ...signedV2, issuer: 'acme' }), 'format', 'MALFORMED_VALUE_ERROR'],
    ['missing VerifiableCredential type', async () => ({ ...signedV2, type: ['ExampleAchievementCredential'] }), 'format', 'MALFORMED_VALUE_ERROR'],
    ['VC 1.1 without issuanceDate', async () => { const { issuanceDate: _d, ...rest } = signedV1; return rest; }, 'format', 'MALFORMED_VALUE_ERROR'],
    ['issuer DID method unsupported', async () => ({ ...signedV2, issuer: 'did:example:123' }), 'issuer', 'DID_METHOD_NOT_SUPPORTED'],
    ['not JSON', async () => '{not json', 'format', 'PARSING_ERROR'],
    ['JWS JSON serialization', async () => ({ payload: 'e30', signatures: [] }), 'format', 'PARSING_ERROR'],
    ['too deep', async () => { let o: Record<string, unknown> = {}; const root = o; for (let i = 0; i < 70; i++) { o.a = {}; o = o.a as Record<string, unknown>; } return { ...signedV2, credentialSubject: { id: w.holder, deep: root } }; }, 'format', 'RESOURCE_LIMIT_EXCEEDED'],
    ['too big', async () => ({ ...signedV2, credentialSubject: { id: w.holder, blob: 'x'.repeat(1024 * 1024 + 1) } }), 'format', 'RESOURCE_LIMIT_EXCEEDED'],
  ];
  it.each(cases)('%s → %s %s', async (_name, make, check, code) => {
    const report = await verify(await make(), opts());
    expect(report.verdict).toBe('invalid');
    expect(report.verified).toBe(false);
    expect(failing(report, check), JSON.stringify(report.results)).toMatchObject({ status: 'failed', code });
    expect(report.errors.map((e) => e.code)).toContain(code);
  });

  it('skips checks whose prerequisite failed, with a reason', async () => {
    const report = await verify('{not json', opts());
    expect(failing(report, 'proof')).toMatchObject({ status: 'skipped', code: 'PREREQUISITE_NOT_MET' });
  });

  it('does not mutate the caller input', async () => {
    const input = structuredClone(signedV2);
    await verify(input, opts());
    expect(input).toEqual(signedV2);
  });
});

describe('verify: bad vc+jwt credentials fail with a stable code', () => {
  const cases: Array<[string, () => Promise<string>, string]> = [
    ['alg none', async () => rawJws({ alg: 'none', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, jwtPayload), 'JOSE_ALG_NOT_ALLOWED'],
    ['HS256', async () => rawJws({ alg: 'HS256', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, jwtPayload, 'c2lnbmF0dXJl'), 'JOSE_ALG_NOT_ALLOWED'],
    ['kid naming another DID', async () => signJwt(jwtPayload, { alg: 'EdDSA', typ: 'vc+jwt', kid: `${w.strangerDid}#${w.strangerDid.slice(8)}` }, w.jwks.stranger), 'JOSE_KID_MISMATCH'],
    ['kid not a DID URL', async () => signJwt(jwtPayload, { alg: 'EdDSA', typ: 'vc+jwt', kid: 'key-1' }, w.jwks.ed), 'JOSE_KID_MISMATCH'],
    ['kid under authentication only', async () => signJwt(jwtPayload, { alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#auth-1` }, w.jwks.ed), 'VERIFICATION_METHOD_NOT_AUTHORIZED'],
    ['wrong typ', async () => signJwt(jwtPayload, { alg: 'EdDSA', typ: 'JWT', kid: `${ISSUER}#key-1` }, w.jwks.ed), 'JOSE_TYP_INVALID'],
    ['typ of another media type', async () => signJwt(jwtPayload, { alg: 'EdDSA', typ: 'application/vc+ld+json+jwt', kid: `${ISSUER}#key-1` }, w.jwks.ed), 'JOSE_TYP_INVALID'],
    ['typ not a string', async () => signJwt(jwtPayload, { alg: 'EdDSA', typ: 7, kid: `${ISSUER}#key-1` }, w.jwks.ed), 'JOSE_TYP_INVALID'],
    ['no typ, and cty naming another content', async () => signJwt(jwtPayload, { alg: 'EdDSA', cty: 'JWT', kid: `${ISSUER}#key-1` }, w.jwks.ed), 'JOSE_TYP_INVALID'],
    ['no typ, and SD-JWT claims', async () => signJwt({ ...jwtPayload, _sd_alg: 'sha-256' }, { alg: 'EdDSA', kid: `${ISSUER}#key-1` }, w.jwks.ed), 'JOSE_TYP_INVALID'],
    ['unknown crit', async () => rawJws({ alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#key-1`, crit: ['urn:example:must-understand'], 'urn:example:must-understand': true }, jwtPayload, 'c2ln'), 'JOSE_CRIT_UNSUPPORTED'],
    ['iss differs from issuer', async () => signJwt({ ...jwtPayload, iss: w.strangerDid }, { alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, w.jwks.ed), 'JOSE_ISS_MISMATCH'],
    ['signed by another key under the issuer kid', async () => signJwt(jwtPayload, { alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, w.jwks.stranger), 'PROOF_VERIFICATION_ERROR'],
    ['ES256 header on an Ed25519 key', async () => signJwt(jwtPayload, { alg: 'ES256', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, w.jwks.p256), 'PROOF_VERIFICATION_ERROR'],
  ];
  it.each(cases)('%s → %s', async (_name, make, code) => {
    const report = await verify(await make(), opts());
    expect(report.verdict).toBe('invalid');
    expect(failing(report, 'proof'), JSON.stringify(report.results)).toMatchObject({ status: 'failed', code });
  });

  it('JWT exp in the past → EXPIRED', async () => {
    const jwt = await signJwt({ ...jwtPayload, exp: Math.floor(now().getTime() / 1000) - 3600 }, { alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, w.jwks.ed);
    expect(failing(await verify(jwt, opts()), 'validity')).toMatchObject({ status: 'failed', code: 'EXPIRED' });
  });

  it.each([['exp', '1000'], ['exp', 1e300], ['nbf', true]])('JWT %s of %j → MALFORMED_VALUE_ERROR, never ignored', async (claim, value) => {
    const jwt = await signJwt({ ...jwtPayload, [claim]: value }, { alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#key-1` }, w.jwks.ed);
    expect(failing(await verify(jwt, opts()), 'validity')).toMatchObject({ status: 'failed', code: 'MALFORMED_VALUE_ERROR' });
  });
});

describe('verify: vc+jwt claims sets that VC-JOSE-COSE does not allow fail the format check', () => {
  const header = () => ({ alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#key-1` });
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['a vc claim', async () => signJwt({ ...jwtPayload, vc: { foo: 'bar' } }, header(), w.jwks.ed), 'JOSE_CLAIM_FORBIDDEN'],
    ['a vp claim', async () => signJwt({ ...jwtPayload, vp: { foo: 'bar' } }, header(), w.jwks.ed), 'JOSE_CLAIM_FORBIDDEN'],
    ['a vc claim, enveloped', async () => ({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${await signJwt({ ...jwtPayload, vc: {} }, header(), w.jwks.ed)}` }), 'JOSE_CLAIM_FORBIDDEN'],
    ['a VC 1.1 payload', async () => signJwt({ ...v1Credential(w.holder), iss: ISSUER }, header(), w.jwks.ed), 'JOSE_REQUIRES_VC2'],
    ['a VC 1.1 payload without typ', async () => signJwt({ ...v1Credential(w.holder), iss: ISSUER }, { alg: 'EdDSA', kid: `${ISSUER}#key-1` }, w.jwks.ed), 'JOSE_REQUIRES_VC2'],
  ];
  it.each(cases)('%s → %s', async (_name, make, code) => {
    const report = await verify(await make(), opts());
    expect(report.verdict).toBe('invalid');
    expect(failing(report, 'format'), JSON.stringify(report.results)).toMatchObject({ status: 'failed', code });
    expect(failing(report, 'proof')).toMatchObject({ status: 'skipped', code: 'PREREQUISITE_NOT_MET' });
  });

  it('a VC 1.1 credential is still accepted with a Data Integrity proof', async () => {
    expect((await verify(signedV1, opts())).verdict).toBe('valid');
  });
});

describe('verify: status and issuer reachability are never passed by default', () => {
  const withStatus = () =>
    signDi(w, v2Credential(w.holder, { credentialStatus: { id: 'https://issuer.test/status/1#5', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '5', statusListCredential: 'https://issuer.test/status/1' } }), 'eddsa-rdfc-2022');

  it('status present with no checker → indeterminate STATUS_RETRIEVAL_ERROR', async () => {
    const report = await verify(await withStatus(), opts());
    expect(report.verdict).toBe('indeterminate');
    expect(report.verified).toBe(false);
    expect(failing(report, 'status')).toMatchObject({ status: 'indeterminate', code: 'STATUS_RETRIEVAL_ERROR' });
  });

  it.each([
    ['throws', { check: async () => { throw new Error('list unreachable'); } }, 'indeterminate', 'STATUS_RETRIEVAL_ERROR'],
    ['reports revoked', { check: async () => ({ flagged: true, code: 'CREDENTIAL_REVOKED' }) }, 'invalid', 'CREDENTIAL_REVOKED'],
  ] as Array<[string, StatusChecker, string, string]>)('status checker %s', async (_n, statusChecker, verdict, code) => {
    const report = await verify(await withStatus(), opts({ statusChecker }));
    expect(report.verdict).toBe(verdict);
    expect(failing(report, 'status')?.code).toBe(code);
  });

  it('a good status checker passes', async () => {
    const report = await verify(await withStatus(), opts({ statusChecker: { check: async () => ({ flagged: false }) } }));
    expect(report.verdict).toBe('valid');
  });

  it('issuer DID unreachable (transient) → indeterminate DID_RESOLUTION_ERROR', async () => {
    const { createResolver } = await import('../../src/did/index.js');
    const down = createResolver({ resolveOwn: async () => { throw new Error('db down'); } });
    const report = await verify(signedV2, { ...opts(), resolver: down });
    expect(report.verdict).toBe('indeterminate');
    expect(failing(report, 'issuer')).toMatchObject({ status: 'indeterminate', code: 'DID_RESOLUTION_ERROR' });
    expect(failing(report, 'proof')).toMatchObject({ status: 'skipped' });
  });

  it('runs extra check modules from options', async () => {
    const trust = { name: 'trust', appliesTo: ['credential'] as const, requires: ['proof'], run: async () => ({ status: 'failed' as const, code: 'ISSUER_NOT_TRUSTED', message: 'not in registry' }) };
    const report = await verify(signedV2, opts({ checks: [trust] }));
    expect(report.verdict).toBe('invalid');
    expect(failing(report, 'trust')?.code).toBe('ISSUER_NOT_TRUSTED');
  });
});

describe('verify: a saturated service is not a verdict', () => {
  it('OVERLOADED from the canonicalization workers propagates (the route answers 503), never a failed check', async () => {
    const busy = async () => {
      throw new OverloadedError('The canonicalization workers are saturated (queue full); retry shortly.');
    };
    // Expansion (format) and canonicalization (proof) both refused by the pool.
    const loader = withCanonicalizer(w.documentLoader, { canonize: busy, expand: busy });
    await expect(verify(signedV2, opts({ documentLoader: loader }))).rejects.toMatchObject({ code: 'OVERLOADED', status: 503 });
    await expect(verify(signedV1, opts({ documentLoader: loader }))).rejects.toMatchObject({ code: 'OVERLOADED' });
    // The status list could not be checked because the service is saturated: no verdict either.
    const statusChecker = { check: async () => busy() };
    await expect(verify(await signDi(w, v2Credential(w.holder, { credentialStatus: { id: 'https://status.example/l#1', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '1', statusListCredential: 'https://status.example/l' } }), 'eddsa-rdfc-2022'), opts({ statusChecker }))).rejects.toMatchObject({ code: 'OVERLOADED' });
    // Only canonicalization refused: the proof check must not call the signature bad.
    const canonOnly = withCanonicalizer(w.documentLoader, { canonize: busy });
    await expect(verify(signedV2, opts({ documentLoader: canonOnly }))).rejects.toMatchObject({ code: 'OVERLOADED' });
  });
});

describe('verify: additions that expand to nothing still change the document', () => {
  it('a signed value object with an empty extra property added is not valid, on the fast path as on jsonld.js', async () => {
    const signed = await signDi(w, v2Credential(w.holder, { name: { '@value': 'Data literacy', '@language': 'en' } }), 'eddsa-rdfc-2022');
    // As the service runs it: the fast path first, jsonld.js for what it declines.
    const fastLoader = withCanonicalizer(w.documentLoader, fastFirst(createFastRdf(loadBundledContexts())));
    expect((await verify(signed, opts({ documentLoader: fastLoader }))).verdict).toBe('valid');
    const tampered = { ...signed, name: { '@value': 'Data literacy', '@language': 'en', description: [] } };
    expect((await verify(tampered, opts())).verdict).toBe('invalid');
    const report = await verify(tampered, opts({ documentLoader: fastLoader }));
    expect(report.verdict).toBe('invalid');
    expect(failing(report, 'format')?.status).toBe('failed');
  });
});


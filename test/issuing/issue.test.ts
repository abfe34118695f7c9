import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { issueCredential, prepareCredential, signDataIntegrity, signVcJwt, type DataIntegritySuite, type IssueOptions } from '../../src/issuing/index.js';
import { publicJwkFromMultibase, algorithmOfMultibase } from '../../src/keys/index.js';
import { annexSample, ISSUER, makeFixture, newId, now, smallV1, smallV2, type Fixture } from './fixtures.js';
import { withCanonicalizer } from '../../src/jsonld/index.js';
import { OverloadedError } from '../../src/workers/index.js';

let f: Fixture;
let opts: Omit<IssueOptions, 'mechanism'>;
beforeAll(async () => {
  f = await makeFixture();
  opts = { signers: f.signers, issuerDid: ISSUER, documentLoader: f.documentLoader, now, newId };
});

const VERIFY_AT = new Date('2025-03-02T00:00:00Z');
const suites = () => [new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 }), new Ed25519Signature2020()];
const verifyLd = (credential: Record<string, unknown>) => vc.verifyCredential({ credential, suite: suites(), documentLoader: f.documentLoader, now: VERIFY_AT });

async function rejectCode(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).code;
}

/** Verify a vc+jwt the way a relying party would: key from our DID document by kid, jose compactVerify. */
async function verifyJwt(jwt: string) {
  const { kid, alg } = decodeProtectedHeader(jwt);
  const vm = f.didDocument.verificationMethod.find((m) => m.id === kid);
  if (!vm || !alg) throw new Error('kid not in DID document');
  const key = await importJWK(await publicJwkFromMultibase(algorithmOfMultibase(vm.publicKeyMultibase), vm.publicKeyMultibase), alg);
  return compactVerify(jwt, key, { algorithms: [alg] });
}

const DI: DataIntegritySuite[] = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019', 'Ed25519Signature2020'];
const CASES = [['VC 2.0', smallV2], ['VC 1.1', smallV1]] as const;

describe('issueCredential: retrying the securing step', () => {
  it('retries only what follows enrichment, so what enrichment reserved is reserved once', async () => {
    let enriched = 0;
    let refusals = 2;
    const busyFirst = withCanonicalizer(f.documentLoader, {
      canonize: async (input, options) => {
        if (refusals-- > 0) throw new OverloadedError('The canonicalization workers are saturated (queue full); retry shortly.');
        return eddsaRdfc2022.canonize(structuredClone(input), options ?? {});
      },
    });
    const retrying = async <T>(step: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await step();
        } catch (err) {
          if ((err as AppError).code !== 'OVERLOADED') throw err;
        }
      }
    };
    const issued = await issueCredential(smallV2(), {
      ...opts, documentLoader: busyFirst, mechanism: 'eddsa-rdfc-2022', secure: retrying,
      enrich: async (c) => ({ ...c, enrichedTimes: ++enriched }),
    }).catch((e: unknown) => e);
    expect(issued).not.toBeInstanceOf(Error);
    expect(enriched).toBe(1);
    expect(refusals).toBeLessThan(0);
  });
});

describe('signDataIntegrity', () => {
  it.each(DI)('%s: never writes into the credential it signs (nested objects and @context included)', async (suite) => {
    // VC 1.1 without issuanceDate and without the suite context: vc.issue() and the suite add both to what they sign.
    const cred = { ...annexSample(), id: 'urn:uuid:6f1c2d1e-0000-4000-8000-0000000000aa', issuer: ISSUER } as Record<string, unknown>;
    delete cred.issuanceDate;
    const snapshot = structuredClone(cred);
    const signer = suite === 'ecdsa-rdfc-2019' ? opts.signers.p256 : opts.signers.ed25519;
    const signed = await signDataIntegrity(cred, { suite, signer, documentLoader: opts.documentLoader, now });
    expect(cred).toEqual(snapshot);
    expect(signed).toHaveProperty('proof');
    expect(signed).toHaveProperty('issuanceDate');
    expect((signed['@context'] as string[]).length).toBe((cred['@context'] as string[]).length + 1);
  });
});

describe.each(CASES)('Data Integrity round trips, %s', (_name, make) => {
  it.each(DI)('%s: issues, verifies with @digitalbazaar/vc, fails when tampered', async (mechanism) => {
    const input = make();
    const before = structuredClone(input);
    const r = await issueCredential(input, { ...opts, mechanism });
    expect(input).toEqual(before);
    expect(r.format).toBe('ldp_vc');
    expect(r.mechanism).toBe(mechanism);
    expect(r.credential).not.toHaveProperty('proof');
    const proof = r.verifiableCredential.proof as Record<string, unknown>;
    expect(proof.created).toBe('2025-03-01T12:00:00Z');
    expect(proof.verificationMethod).toBe(mechanism === 'ecdsa-rdfc-2019' ? f.signers.p256.id : f.signers.ed25519.id);
    expect(proof.proofPurpose).toBe('assertionMethod');
    expect(proof.type).toBe(mechanism === 'Ed25519Signature2020' ? 'Ed25519Signature2020' : 'DataIntegrityProof');

    const ok = await verifyLd(r.verifiableCredential);
    expect(ok.error).toBeUndefined();
    expect(ok.verified).toBe(true);

    const tampered = structuredClone(r.verifiableCredential);
    (tampered.credentialSubject as Record<string, unknown>).id = 'did:example:someone-else';
    expect((await verifyLd(tampered)).verified).toBe(false);
  });
});

describe('context handling per suite', () => {
  it('adds data-integrity/v2 to VC 1.1 only, and the Ed25519 2020 context when needed', async () => {
    const v1 = await issueCredential(smallV1(), { ...opts, mechanism: 'eddsa-rdfc-2022' });
    expect(v1.verifiableCredential['@context']).toContain('https://w3id.org/security/data-integrity/v2');
    const v2 = await issueCredential(smallV2(), { ...opts, mechanism: 'eddsa-rdfc-2022' });
    expect(v2.verifiableCredential['@context']).toEqual(smallV2()['@context']);
    const ed = await issueCredential(smallV2(), { ...opts, mechanism: 'Ed25519Signature2020' });
    expect(ed.verifiableCredential['@context']).toContain('https://w3id.org/security/suites/ed25519-2020/v1');
  });

  it('refuses a signer of the wrong algorithm for the suite', async () => {
    const { credential } = prepareCredential(smallV2(), opts);
    expect(await rejectCode(signDataIntegrity(credential, { suite: 'ecdsa-rdfc-2019', signer: f.signers.ed25519, documentLoader: f.documentLoader, now }))).toBe('SIGNER_ALGORITHM_MISMATCH');
  });
});

describe('vc+jwt', () => {
  it.each(['EdDSA', 'ES256'] as const)('%s: payload is the credential, header per VC-JOSE-COSE, verifies with jose, fails when tampered', async (jwtAlgorithm) => {
    const input = smallV2();
    const r = await issueCredential(input, { ...opts, mechanism: 'vc+jwt', jwtAlgorithm });
    expect(input).toEqual(smallV2());
    expect(r.format).toBe('vc+jwt');
    const jwt = r.jwt as string;
    expect(r.verifiableCredential).toEqual({ '@context': ['https://www.w3.org/ns/credentials/v2'], id: `data:application/vc+jwt,${jwt}`, type: 'EnvelopedVerifiableCredential' });
    const { payload, protectedHeader } = await verifyJwt(jwt);
    const signer = jwtAlgorithm === 'EdDSA' ? f.signers.ed25519 : f.signers.p256;
    expect(protectedHeader).toEqual({ alg: jwtAlgorithm, typ: 'vc+jwt', cty: 'vc', kid: signer.id });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const { iss, jti, sub, iat, ...credential } = claims;
    expect(credential).toEqual(r.credential);
    expect(iss).toBe(ISSUER);
    expect(jti).toBe(r.credential.id);
    expect(sub).toBe('did:example:ebfeb1f712ebc6f1c276e12ec21');
    expect(iat).toBe(Date.parse('2025-03-01T12:00:00Z') / 1000);
    expect(claims).not.toHaveProperty('vc');

    const [h, p, s] = jwt.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...claims, credentialSubject: { id: 'did:example:mallory' } })).toString('base64url');
    await expect(verifyJwt(`${h}.${forged}.${s}`)).rejects.toThrow();
    await expect(verifyJwt(`${h}.${p}.${s}`)).resolves.toBeDefined();
  });

  it('refuses VC 1.1 with JOSE_REQUIRES_VC2', async () => {
    expect(await rejectCode(issueCredential(smallV1(), { ...opts, mechanism: 'vc+jwt' }))).toBe('JOSE_REQUIRES_VC2');
    const { credential } = prepareCredential(smallV1(), opts);
    expect(await rejectCode(signVcJwt(credential, { signer: f.signers.ed25519 }))).toBe('JOSE_REQUIRES_VC2');
  });
});

describe('prepareCredential', () => {
  it('fills issuer, id and the issuance date without touching the input', () => {
    const input = smallV2();
    const frozen = Object.freeze(input);
    const { credential, version } = prepareCredential(frozen, { issuerDid: ISSUER, now, newId: () => '123E4567-E89B-42D3-A456-426614174000' });
    expect(version).toBe('2.0');
    expect(credential).toMatchObject({ issuer: ISSUER, id: 'urn:uuid:123e4567-e89b-42d3-a456-426614174000', validFrom: '2025-03-01T12:00:00Z' });
    expect(frozen).not.toHaveProperty('issuer');
    const v1 = prepareCredential(smallV1(), opts);
    expect(v1.version).toBe('1.1');
    expect(v1.credential.issuanceDate).toBe('2025-03-01T12:00:00Z');
    expect(v1.credential).not.toHaveProperty('validFrom');
    const kept = prepareCredential({ ...smallV2(), id: 'https://u.example/c/1', issuer: { id: ISSUER, name: 'U' }, validFrom: '2024-01-01T00:00:00Z' }, opts).credential;
    expect(kept).toMatchObject({ id: 'https://u.example/c/1', issuer: { id: ISSUER, name: 'U' }, validFrom: '2024-01-01T00:00:00Z' });
    // A validity period of one instant is allowed (validUntil may equal validFrom), in any zone.
    const instant = prepareCredential({ ...smallV2(), validFrom: '2030-01-01T02:00:00+02:00', validUntil: '2030-01-01T00:00:00Z' }, opts).credential;
    expect(instant).toMatchObject({ validFrom: '2030-01-01T02:00:00+02:00', validUntil: '2030-01-01T00:00:00Z' });
    expect(prepareCredential({ ...smallV1(), expirationDate: '2025-03-01T12:00:00Z' }, opts).credential.issuanceDate).toBe('2025-03-01T12:00:00Z');
  });

  it('rejects bad inputs with stable codes', () => {
    const bad: Array<[unknown, string]> = [
      [{ ...smallV2(), issuer: 'did:web:other.example' }, 'ISSUER_MISMATCH'],
      [{ ...smallV2(), issuer: { id: 'did:web:other.example' } }, 'ISSUER_MISMATCH'],
      [{ ...smallV2(), '@context': ['https://example.com/ctx'] }, 'UNSUPPORTED_CONTEXT'],
      [{ ...smallV2(), '@context': ['https://www.w3.org/ns/credentials/examples/v2', 'https://www.w3.org/ns/credentials/v2'] }, 'UNSUPPORTED_CONTEXT'],
      [{ ...smallV2(), '@context': undefined }, 'UNSUPPORTED_CONTEXT'],
      [[], 'MALFORMED_CREDENTIAL'],
      ['{}', 'MALFORMED_CREDENTIAL'],
      [{ type: ['VerifiableCredential'], credentialSubject: { id: 'x:y' } }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), type: ['ExampleAlumniCredential'] }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), credentialSubject: undefined }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), credentialSubject: {} }, 'MALFORMED_CREDENTIAL'],
      // Shaped like a dateTime but no instant (a leap second, 24:00, Feb 30): it would never verify.
      [{ ...smallV2(), validUntil: '2030-12-31T23:59:60Z' }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), validFrom: '2030-02-30T00:00:00Z' }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), credentialSubject: [] }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), proof: { type: 'DataIntegrityProof' } }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), validFrom: '2025-01-01' }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), id: 'not a url' }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), issuer: 42 }, 'MALFORMED_CREDENTIAL'],
      [{ ...smallV2(), validFrom: '2030-01-01T00:00:00Z', validUntil: '2029-01-01T00:00:00Z' }, 'INVALID_VALIDITY_PERIOD'],
      // Instants are compared, not strings: 23:00 at -02:00 is 01:00 UTC the next day.
      [{ ...smallV2(), validFrom: '2029-12-31T23:00:00-02:00', validUntil: '2030-01-01T00:00:00Z' }, 'INVALID_VALIDITY_PERIOD'],
      // validFrom is filled with now (2025-03-01T12:00:00Z), after this validUntil.
      [{ ...smallV2(), validUntil: '2025-03-01T11:59:59Z' }, 'INVALID_VALIDITY_PERIOD'],
      [{ ...smallV1(), issuanceDate: '2030-01-01T00:00:00Z', expirationDate: '2029-01-01T00:00:00Z' }, 'INVALID_VALIDITY_PERIOD'],
      [{ ...smallV1(), expirationDate: '2025-03-01T11:00:00Z' }, 'INVALID_VALIDITY_PERIOD'],
    ];
    for (const [input, code] of bad) {
      let err: unknown;
      try { prepareCredential(input, opts); } catch (e) { err = e; }
      expect(err, JSON.stringify(input)).toBeInstanceOf(AppError);
      expect((err as AppError).code, JSON.stringify(input)).toBe(code);
      expect((err as AppError).status).toBe(400);
    }
  });
});

describe('JSON-LD refusals during issuing', () => {
  it('an unknown context → CONTEXT_NOT_ALLOWED, an undefined term → UNDEFINED_TERM naming it', async () => {
    const unknownCtx = { ...smallV1(), '@context': ['https://www.w3.org/2018/credentials/v1', 'https://example.com/my-context'] };
    expect(await rejectCode(issueCredential(unknownCtx, { ...opts, mechanism: 'eddsa-rdfc-2022' }))).toBe('CONTEXT_NOT_ALLOWED');
    const undefinedTerm = { ...smallV1(), credentialSubject: { id: 'did:example:1', foo: 'bar' } };
    for (const mechanism of DI) {
      const err = await issueCredential(undefinedTerm, { ...opts, mechanism }).then(() => undefined, (e: unknown) => e as AppError);
      expect(err?.code).toBe('UNDEFINED_TERM');
      expect(err?.detail).toMatchObject({ term: 'foo' });
    }
    // VC 2.0 too: the final VC 2.0 context has no @vocab, so undefined terms are refused there as well.
    const v2 = { ...smallV2(), '@context': ['https://www.w3.org/ns/credentials/v2'], credentialSubject: { id: 'did:example:1', foo: 'bar' } };
    expect(await rejectCode(issueCredential(v2, { ...opts, mechanism: 'vc+jwt' }))).toBe('UNDEFINED_TERM');
  });
});

describe('ELM Annex I micro-credential sample', () => {
  it.each(DI)('issues with %s, keeps the issuer an Organisation, and the proof checks', async (mechanism) => {
    const input = annexSample();
    const r = await issueCredential(input, { ...opts, mechanism });
    const issuer = r.verifiableCredential.issuer as Record<string, unknown>;
    expect(issuer.id).toBe(ISSUER);
    expect(issuer.type).toBe('Organisation');
    expect(r.credential.id).toBe('urn:credential:3ef0ac26-9a1f-41c6-871b-2b82e670907b');
    expect(r.credential.validFrom).toBe('2022-12-31T23:00:00Z');
    expect(r.credential.issuanceDate).toBe('2025-03-01T12:00:00Z');
    const ok = await verifyLd(r.verifiableCredential);
    expect(ok.error).toBeUndefined();
    expect(ok.verified).toBe(true);
    const tampered = structuredClone(r.verifiableCredential);
    tampered.validFrom = '2020-01-01T00:00:00Z';
    expect((await verifyLd(tampered)).verified).toBe(false);
  });
});

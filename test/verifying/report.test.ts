import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { toProblem, verify, type StatusChecker } from '../../src/verifying/index.js';
import { makeWorld, now, v2Credential, signDi, type World } from './fixtures.js';

let w: World;
let signed: Record<string, unknown>;
beforeAll(async () => {
  w = await makeWorld();
  signed = await signDi(w, v2Credential(w.holder, { credentialStatus: { id: 'https://issuer.test/status/1#5', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '5', statusListCredential: 'https://issuer.test/status/1' } }), 'eddsa-rdfc-2022');
});

const opts = (extra: Record<string, unknown> = {}) => ({ documentLoader: w.documentLoader, resolver: w.resolver, now, ...extra });

const VC = 'https://www.w3.org/TR/vc-data-model#';
const SEC = 'https://w3id.org/security#';
const BSL = 'https://www.w3.org/ns/credentials/status-list#';

describe('problem types in the verification report follow the specification that defines each error', () => {
  it.each([
    // VC Data Model 2.0
    ['PARSING_ERROR', `${VC}PARSING_ERROR`],
    ['CRYPTOGRAPHIC_SECURITY_ERROR', `${VC}CRYPTOGRAPHIC_SECURITY_ERROR`],
    ['MALFORMED_VALUE_ERROR', `${VC}MALFORMED_VALUE_ERROR`],
    ['RANGE_ERROR', `${VC}RANGE_ERROR`],
    // Data Integrity 1.0 (and the verification-method errors of Controlled Identifiers 1.0)
    ['PROOF_GENERATION_ERROR', `${SEC}PROOF_GENERATION_ERROR`],
    ['PROOF_VERIFICATION_ERROR', `${SEC}PROOF_VERIFICATION_ERROR`],
    ['PROOF_TRANSFORMATION_ERROR', `${SEC}PROOF_TRANSFORMATION_ERROR`],
    ['INVALID_DOMAIN_ERROR', `${SEC}INVALID_DOMAIN_ERROR`],
    ['INVALID_CHALLENGE_ERROR', `${SEC}INVALID_CHALLENGE_ERROR`],
    ['MALFORMED_PROOF_ERROR', `${SEC}MALFORMED_PROOF_ERROR`],
    ['MISMATCHED_PROOF_PURPOSE_ERROR', `${SEC}MISMATCHED_PROOF_PURPOSE_ERROR`],
    ['INVALID_VERIFICATION_METHOD', `${SEC}INVALID_VERIFICATION_METHOD`],
    ['INVALID_VERIFICATION_METHOD_URL', `${SEC}INVALID_VERIFICATION_METHOD_URL`],
    // Bitstring Status List 1.0
    ['STATUS_RETRIEVAL_ERROR', `${BSL}STATUS_RETRIEVAL_ERROR`],
    ['STATUS_VERIFICATION_ERROR', `${BSL}STATUS_VERIFICATION_ERROR`],
    ['STATUS_LIST_LENGTH_ERROR', `${BSL}STATUS_LIST_LENGTH_ERROR`],
    // Our codes for outcomes the status list validation algorithm names: its error type, our code.
    ['STATUS_PURPOSE_MISMATCH', `${BSL}STATUS_VERIFICATION_ERROR`],
    ['STATUS_LIST_INVALID', `${BSL}STATUS_VERIFICATION_ERROR`],
    ['STATUS_INDEX_OUT_OF_RANGE', `${VC}RANGE_ERROR`],
    // Our own
    ['JOSE_TYP_INVALID', 'urn:microcred:problem:JOSE_TYP_INVALID'],
    ['EXPIRED', 'urn:microcred:problem:EXPIRED'],
  ])('%s → %s', (code, type) => {
    const p = toProblem({ check: 'x', status: 'failed', code, message: 'm' });
    expect(p).toMatchObject({ type, code, check: 'x', detail: 'm' });
  });

  it('a tampered Data Integrity credential: the proof error has the Data Integrity type', async () => {
    const report = await verify({ ...signed, credentialSubject: { id: w.holder, name: 'Eve' } }, opts({ statusChecker: { check: async () => ({ flagged: false }) } }));
    expect(report.errors).toEqual([expect.objectContaining({ check: 'proof', code: 'PROOF_VERIFICATION_ERROR', type: `${SEC}PROOF_VERIFICATION_ERROR` })]);
  });

  it.each([
    ['STATUS_RETRIEVAL_ERROR', `${BSL}STATUS_RETRIEVAL_ERROR`],
    ['STATUS_LIST_LENGTH_ERROR', `${BSL}STATUS_LIST_LENGTH_ERROR`],
    ['STATUS_LIST_INVALID', `${BSL}STATUS_VERIFICATION_ERROR`],
  ])('a status checker that throws %s → a status error of type %s', async (code, type) => {
    const statusChecker: StatusChecker = { check: async () => { throw new AppError(code, 'list trouble'); } };
    const report = await verify(signed, opts({ statusChecker }));
    expect(report.verdict).toBe('indeterminate');
    expect(report.errors).toEqual([expect.objectContaining({ check: 'status', code, type })]);
  });

  it('a status checker reporting an index outside the list → RANGE_ERROR type, our code', async () => {
    const statusChecker: StatusChecker = { check: async () => ({ flagged: true, code: 'STATUS_INDEX_OUT_OF_RANGE', message: 'outside' }) };
    const report = await verify(signed, opts({ statusChecker }));
    expect(report.errors).toEqual([expect.objectContaining({ check: 'status', code: 'STATUS_INDEX_OUT_OF_RANGE', type: `${VC}RANGE_ERROR` })]);
  });
});

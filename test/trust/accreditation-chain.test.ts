import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildAccreditationCredential, evaluateAccreditationChain, type VerifyCredentialFn,
} from '../../src/trust/index.js';
import { ACCREDITATION_ID, AGENT_DID, ORG_URI, elmCredential, qdr, snapshotOf } from './trust-fixtures.js';
import { OverloadedError } from '../../src/workers/index.js';

// A detached Ed25519 signature over the JSON without proof: a real check the injected verifier can fail.
const keys = new Map<string, { publicKey: KeyObject; privateKey: KeyObject }>();
function keyOf(did: string) {
  if (!keys.has(did)) keys.set(did, generateKeyPairSync('ed25519'));
  return keys.get(did)!;
}
function signed(vc: Record<string, unknown>, did: string): Record<string, unknown> {
  const sig = sign(null, Buffer.from(JSON.stringify(vc)), keyOf(did).privateKey).toString('base64url');
  return { ...vc, proof: { type: 'TestEd25519', verificationMethod: `${did}#key-1`, signatureValue: sig } };
}
const verifyCredential: VerifyCredentialFn = async (vc) => {
  const { proof, ...rest } = vc as { proof: { verificationMethod: string; signatureValue: string } };
  const did = proof.verificationMethod.split('#')[0]!;
  const ok = verify(null, Buffer.from(JSON.stringify(rest)), keyOf(did).publicKey, Buffer.from(proof.signatureValue, 'base64url'));
  return { verified: ok, issuer: did };
};

function accreditationVc(did = AGENT_DID, node = qdr('eqf')) {
  return buildAccreditationCredential({ accreditation: node, issuer: { did, legalName: 'EOPPEP' }, issuanceDate: '2024-01-01T00:00:00Z', id: 'urn:uuid:acc-vc-1' });
}

describe('accreditation credentials and the chain', () => {
  it('builds a VC 1.1 edc-ap credential whose subject is the clean Accreditation node', () => {
    const vc = accreditationVc();
    expect(vc['@context']).toEqual(['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap']);
    const subject = vc.credentialSubject as Record<string, unknown>;
    expect(subject.id).toBe('http://data.europa.eu/snb/data-dev/accreditation/d2455324-332c-4f80-80b8-bd37312341d6');
    expect(JSON.stringify(subject)).not.toContain('dateModified');
    expect(subject['@context']).toBeUndefined();
  });

  it('passes trust anchor → QA agency → institution → micro-credential', async () => {
    const r = await evaluateAccreditationChain({
      accreditationCredential: signed(accreditationVc(), AGENT_DID), verifyCredential, registry: snapshotOf(qdr('eqf')), microCredential: elmCredential(),
    });
    expect(r.status).toBe('passed');
    const chain = (r.detail!.chain as Array<{ role: string }>).map((c) => c.role);
    expect(chain).toEqual(['trust-anchor', 'qa-agency', 'institution', 'micro-credential']);
    expect((r.detail!.chain as Array<Record<string, unknown>>)[2]).toMatchObject({ uri: ORG_URI });
  });

  it('a saturated service (503 OVERLOADED) while checking the accreditation credential refuses the verification, never judges it', async () => {
    const busy: VerifyCredentialFn = async () => {
      throw new OverloadedError('The canonicalization workers are saturated (queue full); retry shortly.');
    };
    await expect(evaluateAccreditationChain({
      accreditationCredential: signed(accreditationVc(), AGENT_DID), verifyCredential: busy, registry: snapshotOf(qdr('eqf')), microCredential: elmCredential(),
    })).rejects.toMatchObject({ code: 'OVERLOADED', status: 503 });
  });

  it('carries a micro-credential scope failure up with its code', async () => {
    const r = await evaluateAccreditationChain({
      accreditationCredential: signed(accreditationVc(), AGENT_DID), verifyCredential, registry: snapshotOf(qdr('eqf')),
      microCredential: elmCredential({ eqf: 'http://data.europa.eu/snb/eqf/8' }),
    });
    expect(r.code).toBe('ACCREDITATION_SCOPE_EQF_LEVEL');
  });

  it('fails ACCREDITATION_CREDENTIAL_INVALID on a tampered or malformed credential', async () => {
    const tampered = { ...signed(accreditationVc(), AGENT_DID), expirationDate: '2099-01-01T00:00:00Z' };
    const a = await evaluateAccreditationChain({ accreditationCredential: tampered, verifyCredential, registry: snapshotOf(qdr('eqf')) });
    expect(a).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_INVALID' });
    const noSubject = { ...accreditationVc(), credentialSubject: [] };
    const b = await evaluateAccreditationChain({ accreditationCredential: signed(noSubject, AGENT_DID), verifyCredential, registry: snapshotOf(qdr('eqf')) });
    expect(b.code).toBe('ACCREDITATION_CREDENTIAL_INVALID');
  });

  it('fails ACCREDITATION_CREDENTIAL_UNTRUSTED when the signer is no trusted QA agency or not the accrediting agent', async () => {
    const untrusted = await evaluateAccreditationChain({
      accreditationCredential: signed(accreditationVc(), AGENT_DID), verifyCredential, registry: snapshotOf(qdr('eqf'), { agentTrusted: false }),
    });
    expect(untrusted.code).toBe('ACCREDITATION_CREDENTIAL_UNTRUSTED');
    const stranger = 'did:web:self-proclaimed.test';
    const other = await evaluateAccreditationChain({
      accreditationCredential: signed(accreditationVc(stranger), stranger), verifyCredential, registry: snapshotOf(qdr('eqf')),
    });
    expect(other.code).toBe('ACCREDITATION_CREDENTIAL_UNTRUSTED');
  });

  const withLines = (lines: Partial<Awaited<ReturnType<VerifyCredentialFn>>>): VerifyCredentialFn => async (vc) => ({ ...(await verifyCredential(vc)), ...lines });
  const chainWith = (lines: Partial<Awaited<ReturnType<VerifyCredentialFn>>>, vc = signed(accreditationVc(), AGENT_DID), micro: Record<string, unknown> | null = elmCredential()) =>
    evaluateAccreditationChain({ accreditationCredential: vc, verifyCredential: withLines(lines), registry: snapshotOf(qdr('eqf')), ...(micro ? { microCredential: micro } : {}) });

  it('fails when the accreditation credential is revoked or suspended, naming the accreditation', async () => {
    const cases: Array<[string, string]> = [['CREDENTIAL_REVOKED', 'ACCREDITATION_CREDENTIAL_REVOKED'], ['CREDENTIAL_SUSPENDED', 'ACCREDITATION_CREDENTIAL_SUSPENDED']];
    for (const [statusCode, code] of cases) {
      for (const micro of [elmCredential(), null]) {
        const r = await chainWith({ status: { status: 'failed', code: statusCode, message: 'flagged' } }, undefined, micro);
        expect(r, statusCode).toMatchObject({ status: 'failed', code });
        expect(r.message).toContain(ACCREDITATION_ID);
      }
    }
    // Any other status failure (a list of another issuer…) does not let the accreditation count either.
    const other = await chainWith({ status: { status: 'failed', code: 'STATUS_LIST_ISSUER_MISMATCH', message: 'foreign list' } });
    expect(other).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_INVALID' });
  });

  it('is indeterminate, not passed, when the status of the accreditation credential is unknown; a failure still wins', async () => {
    const unknown = { status: { status: 'indeterminate' as const, code: 'STATUS_RETRIEVAL_ERROR', message: 'list unreachable' } };
    expect(await chainWith(unknown)).toMatchObject({ status: 'indeterminate', code: 'ACCREDITATION_CREDENTIAL_STATUS_UNKNOWN' });
    expect(await chainWith(unknown, undefined, null)).toMatchObject({ status: 'indeterminate', code: 'ACCREDITATION_CREDENTIAL_STATUS_UNKNOWN' });
    const outOfScope = await chainWith(unknown, undefined, elmCredential({ eqf: 'http://data.europa.eu/snb/eqf/8' }));
    expect(outOfScope).toMatchObject({ status: 'failed', code: 'ACCREDITATION_SCOPE_EQF_LEVEL' });
    expect((await chainWith({ status: { status: 'skipped', message: 'no status' } })).status).toBe('passed');
  });

  it('judges the accreditation credential\'s validity period: not yet valid now, expired on the day the micro-credential was issued', async () => {
    const notYet = await chainWith({ validity: { status: 'failed', code: 'NOT_YET_VALID', message: 'Not valid before 2099-01-01.' } });
    expect(notYet).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_NOT_YET_VALID' });
    const lapsed = signed({ ...accreditationVc(), expirationDate: '2023-01-01T00:00:00Z' }, AGENT_DID);
    const expired = await chainWith({ validity: { status: 'failed', code: 'EXPIRED', message: 'Expired.' } }, lapsed);
    expect(expired).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_EXPIRED' });
    expect(expired.message).toContain(ACCREDITATION_ID);
    // Expired since, but in force when the micro-credential was issued (2023-06-08): it covered it.
    const later = signed({ ...accreditationVc(), expirationDate: '2024-06-01T00:00:00Z' }, AGENT_DID);
    expect((await chainWith({ validity: { status: 'failed', code: 'EXPIRED', message: 'Expired.' } }, later)).status).toBe('passed');
    const malformed = await chainWith({ validity: { status: 'failed', code: 'MALFORMED_VALUE_ERROR', message: 'validFrom is later than validUntil.' } });
    expect(malformed).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_INVALID' });
    // Alone, the credential is judged now.
    expect(await chainWith({ validity: { status: 'failed', code: 'EXPIRED', message: 'Expired.' } }, later, null)).toMatchObject({ status: 'failed', code: 'ACCREDITATION_CREDENTIAL_EXPIRED' });
  });

  it('is indeterminate when the verifier cannot run', async () => {
    const r = await evaluateAccreditationChain({
      accreditationCredential: signed(accreditationVc(), AGENT_DID), verifyCredential: () => Promise.reject(new Error('DID unreachable')), registry: snapshotOf(qdr('eqf')),
    });
    expect(r).toMatchObject({ status: 'indeterminate', code: 'PROOF_VERIFICATION_ERROR' });
  });
});

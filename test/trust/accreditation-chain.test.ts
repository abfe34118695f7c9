import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildAccreditationCredential, evaluateAccreditationChain, type VerifyCredentialFn,
} from '../../src/trust/index.js';
import { AGENT_DID, ORG_URI, elmCredential, qdr, snapshotOf } from './trust-fixtures.js';

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

  it('is indeterminate when the verifier cannot run', async () => {
    const r = await evaluateAccreditationChain({
      accreditationCredential: signed(accreditationVc(), AGENT_DID), verifyCredential: () => Promise.reject(new Error('DID unreachable')), registry: snapshotOf(qdr('eqf')),
    });
    expect(r).toMatchObject({ status: 'indeterminate', code: 'PROOF_VERIFICATION_ERROR' });
  });
});

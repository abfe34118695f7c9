import type { CheckResult } from '../verifying/types.js';
import { indexSnapshot } from './snapshot-index.js';
import type { TrustSnapshot } from './types.js';

const CRYPTO_NOTE = 'This says nothing about the signature, which is checked separately.';

/** Check `trust`: the issuer DID belongs to a known, active institution in the registry or trust list. */
export function checkIssuerTrust(input: { issuerDid: string }, registry: TrustSnapshot): CheckResult {
  const { issuerDid } = input;
  const org = indexSnapshot(registry).byDid(issuerDid);
  if (!org) {
    return {
      check: 'trust',
      status: 'failed',
      code: 'ISSUER_NOT_TRUSTED',
      message: `The issuer ${issuerDid} is not in the trust registry or trust list. ${CRYPTO_NOTE}`,
      detail: { issuerDid },
    };
  }
  const detail = { issuerDid, organisationId: org.id, legalName: org.legalName, kind: org.kind, country: org.country, status: org.status };
  if (org.status !== 'active') {
    return {
      check: 'trust',
      status: 'failed',
      code: 'ISSUER_NOT_TRUSTED',
      message: `The issuer ${issuerDid} (${org.legalName}) is registered but disabled. ${CRYPTO_NOTE}`,
      detail,
    };
  }
  if (org.kind !== 'institution') {
    return {
      check: 'trust',
      status: 'failed',
      code: 'ISSUER_NOT_TRUSTED',
      message: `The issuer ${issuerDid} (${org.legalName}) is registered as a ${org.kind}, not as an issuing institution. ${CRYPTO_NOTE}`,
      detail,
    };
  }
  return {
    check: 'trust',
    status: 'passed',
    message: `The issuer ${issuerDid} is ${org.legalName}${org.country ? ` (${org.country})` : ''}, a registered institution.`,
    detail,
  };
}

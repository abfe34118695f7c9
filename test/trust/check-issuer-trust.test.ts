import { describe, expect, it } from 'vitest';
import { checkIssuerTrust, checkIssuerTrustInRegistry } from '../../src/trust/index.js';
import { AGENT_DID, ISSUER_DID, org } from './trust-fixtures.js';

const institution = org({ id: 'b0000000-0000-4000-8000-000000000002', kind: 'institution', legalName: 'University of Zed', country: 'IE', dids: [ISSUER_DID] });
const agency = org({ id: 'a0000000-0000-4000-8000-000000000001', kind: 'qa-agency', legalName: 'QQI', dids: [AGENT_DID], trusted: true, trustSource: 'trust-list' });

describe('checkIssuerTrust', () => {
  it('passes for a known active institution', () => {
    const r = checkIssuerTrust({ issuerDid: ISSUER_DID }, { organisations: [institution, agency], accreditations: [] });
    expect(r).toMatchObject({ check: 'trust', status: 'passed', detail: { organisationId: institution.id, legalName: 'University of Zed' } });
    expect(r.message).toContain('University of Zed (IE)');
  });

  const cases: Array<[string, Parameters<typeof checkIssuerTrust>[1], string]> = [
    ['unknown', { organisations: [agency], accreditations: [] }, 'not in the trust registry'],
    ['disabled', { organisations: [{ ...institution, status: 'disabled' }], accreditations: [] }, 'disabled'],
    ['a QA agency, not an institution', { organisations: [agency], accreditations: [] }, 'qa-agency'],
  ];
  for (const [name, registry, words] of cases) {
    it(`fails ISSUER_NOT_TRUSTED when the issuer is ${name}`, () => {
      const did = name.startsWith('a QA') ? AGENT_DID : ISSUER_DID;
      const r = checkIssuerTrust({ issuerDid: did }, registry);
      expect(r.status).toBe('failed');
      expect(r.code).toBe('ISSUER_NOT_TRUSTED');
      expect(r.message).toContain(words);
      expect(r.message).toContain('signature, which is checked separately');
    });
  }

  it('is indeterminate when the registry cannot be read', async () => {
    const r = await checkIssuerTrustInRegistry({ issuerDid: ISSUER_DID }, {
      getAccreditations: () => Promise.reject(new Error('down')),
      findOrganisations: () => Promise.reject(new Error('down')),
    });
    expect(r).toMatchObject({ check: 'trust', status: 'indeterminate', code: 'REGISTRY_UNAVAILABLE' });
  });
});

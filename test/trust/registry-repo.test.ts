import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeStores } from '../helpers/stores.js';
import {
  checkAccreditationInRegistry, checkIssuerTrustInRegistry, createRegistryRepo, importQdrAccreditation, loadTrustList, TrustListError,
} from '../../src/trust/index.js';
import { ACCREDITATION_ID, AGENT_DID, AGENT_URI, ISSUER_DID, ORG_URI, elmCredential, qdr } from './trust-fixtures.js';

const TRUST_LIST = fileURLToPath(new URL('../fixtures/trust/trust-list.json', import.meta.url));
const EXAMPLE_LIST = fileURLToPath(new URL('../../schemas/trust-list.example.json', import.meta.url));

describeStores('trust registry repository', (getDb) => {
  const repo = () => createRegistryRepo({ db: getDb(), now: () => new Date('2025-03-01T12:00:00Z') });

  it('imports a QDR record without trusting its agent, idempotently', async () => {
    const r = repo();
    const first = await importQdrAccreditation(r, qdr('expired'));
    expect(first).toMatchObject({ id: ACCREDITATION_ID, dateIssued: '2000-06-08T13:49:07.000Z', expiryDate: '2020-06-08T13:49:07.000Z', source: 'qdr' });
    expect(first.limits.eqfLevels).toEqual(['http://data.europa.eu/snb/eqf/6']);
    expect(first.node['@context']).toBeUndefined();
    const again = await importQdrAccreditation(r, qdr('expired'));
    expect(again.organisationId).toBe(first.organisationId);
    expect(again.accreditingAgentId).toBe(first.accreditingAgentId);
    const agent = await r.findOrganisationByUri(AGENT_URI);
    expect(agent).toMatchObject({ kind: 'qa-agency', country: 'GR', trusted: false, legalName: 'National Organisation for the Certification of Qualifications' });
    const { rows } = await getDb().query<{ n: number }>('SELECT count(*)::int AS n FROM trust_organisations WHERE uris && $1::text[]', [[AGENT_URI, ORG_URI]]);
    expect(rows[0]!.n).toBe(2);
    // Re-importing a newer version of the same accreditation replaces its limits and dates.
    const updated = await importQdrAccreditation(r, qdr('field'));
    expect(updated.id).toBe(ACCREDITATION_ID);
    expect(updated.expiryDate).toBeNull();
    expect(updated.limits).toMatchObject({ eqfLevels: [], fields: ['http://data.europa.eu/snb/isced-f/003'] });
    expect((await r.getAccreditations([ACCREDITATION_ID])).length).toBe(1);
  });

  it('loads the trust list idempotently, merging with QDR entries, and looks organisations up', async () => {
    const r = repo();
    const first = await loadTrustList(r, TRUST_LIST);
    expect(first).toMatchObject({ qaAgencies: 2, institutions: 2, accreditations: 1, withdrawn: 0 });
    await loadTrustList(r, TRUST_LIST);
    const agency = await r.findOrganisationByDid(AGENT_DID);
    expect(agency).toMatchObject({ kind: 'qa-agency', trusted: true, trustSource: 'trust-list', country: 'GR' });
    // The QDR agent (same URI) and the trust-list agency are one entry.
    expect(agency!.uris).toContain(AGENT_URI);
    expect((await r.findOrganisationByUri(AGENT_URI))!.id).toBe(agency!.id);
    expect((await r.findOrganisationByLegalIdentifier('national', 'accred0051id06'))!.dids).toContain(ISSUER_DID);
    expect((await r.findOrganisationByLegalIdentifier('vat', 'EL 090165560'))!.id).toBe(agency!.id);
    expect((await r.listTrustedAgencies()).map((a) => a.legalName).sort()).toEqual([
      'National Organisation for the Certification of Qualifications and Vocational Guidance (EOPPEP)', 'Quality and Qualifications Ireland',
    ]);
    const { rows } = await getDb().query<{ n: number }>("SELECT count(*)::int AS n FROM trust_organisations WHERE kind = 'qa-agency' AND trusted");
    expect(rows[0]!.n).toBe(2);
  });

  it('checks credentials end to end against the stored registry', async () => {
    const r = repo();
    await loadTrustList(r, TRUST_LIST);
    await importQdrAccreditation(r, qdr('eqf'));
    expect((await checkIssuerTrustInRegistry({ issuerDid: ISSUER_DID }, r)).status).toBe('passed');
    expect((await checkIssuerTrustInRegistry({ issuerDid: 'did:web:unknown.test' }, r)).code).toBe('ISSUER_NOT_TRUSTED');
    const ok = await checkAccreditationInRegistry({ credential: elmCredential() }, r);
    expect(ok.status).toBe('passed');
    expect(ok.message).toContain('Accredited by National Organisation for the Certification of Qualifications and Vocational Guidance (EOPPEP) for EQF level 6');
    const out = await checkAccreditationInRegistry({ credential: elmCredential({ eqf: 'http://data.europa.eu/snb/eqf/7' }) }, r);
    expect(out.code).toBe('ACCREDITATION_SCOPE_EQF_LEVEL');
    // The trust-list accreditation of University of Zed: EQF 5–7, ISCED 06, Ireland, until 2027-06-30.
    const uniz = elmCredential({
      accreditation: 'urn:epass:accreditation:uniz-microcredentials-2024', issued: '2025-02-01T00:00:00Z', eqf: 'http://data.europa.eu/snb/eqf/5', field: 'http://data.europa.eu/snb/isced-f/0613',
      issuer: { id: 'did:web:issuers.microcred.test:issuers:uniz', type: 'Organisation' },
      awardingBody: { id: 'urn:epass:org:1', type: 'Organisation', vatIdentifier: { id: 'urn:v', type: 'LegalIdentifier', notation: '654321' } },
    });
    const z = await checkAccreditationInRegistry({ credential: uniz }, r);
    expect(z.status).toBe('passed');
    expect(z.message).toBe('Accredited by Quality and Qualifications Ireland for EQF levels 5–7 in ISCED-F 06 in IRL until 2027-06-30.');
    // Withdrawing QQI's trust (new list without it) breaks the chain.
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    const list = JSON.parse((await import('node:fs')).readFileSync(TRUST_LIST, 'utf8')) as { qaAgencies: unknown[] };
    list.qaAgencies = list.qaAgencies.slice(0, 1);
    writeFileSync(join(dir, 'list.json'), JSON.stringify(list));
    expect((await loadTrustList(r, join(dir, 'list.json'))).withdrawn).toBe(1);
    expect((await checkAccreditationInRegistry({ credential: uniz }, r)).code).toBe('ACCREDITING_AGENT_NOT_TRUSTED');
  });

  it('does not merge organisations of different countries that share only a legal identifier', async () => {
    const r = repo();
    const irish = await r.upsertOrganisation({ kind: 'institution', legalName: 'Irish namesake', country: 'IE', dids: ['did:web:ie.example'], legalIdentifiers: { national: 'ACCRED0051ID06' }, source: 'admin' });
    const acc = await importQdrAccreditation(r, qdr('eqf')); // the accredited organisation is Greek
    expect(acc.organisationId).not.toBe(irish.id);
    expect((await r.getOrganisation(irish.id))!.uris).not.toContain(ORG_URI);
    const ok = await checkAccreditationInRegistry({ credential: elmCredential({ issuer: { id: 'did:web:ie.example', type: 'Organisation' }, awardingBody: { id: 'urn:epass:org:x', type: 'Organisation' } }) }, r);
    expect(ok.code).toBe('ACCREDITATION_ORGANISATION_MISMATCH');
    // Without a country on one side, the identifier still links the records.
    const greek = await r.upsertOrganisation({ kind: 'institution', legalName: 'Greek entry', dids: ['did:web:gr.example'], legalIdentifiers: { national: 'ACCRED0051ID06' }, source: 'admin' });
    expect([irish.id, acc.organisationId]).toContain(greek.id);
  });

  it('loads the shipped example trust list', async () => {
    expect(await loadTrustList(repo(), EXAMPLE_LIST)).toMatchObject({ name: 'microcred demo trust list', qaAgencies: 1 });
  });

  it('refuses bad trust-list files with an error naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    const bad: Array<[string, string, RegExp]> = [
      ['missing.json', '', /cannot be read/],
      ['broken.json', '{"name": ', /is not valid JSON/],
      ['schema.json', JSON.stringify({ name: 'x', version: '1', issued: 'yesterday', qaAgencies: [{ legalName: 'A', country: 'gr' }] }), /does not match schemas\/trust-list\.schema\.json/],
      ['accreditation.json', JSON.stringify({ name: 'x', version: '1', issued: '2025-01-01T00:00:00Z', qaAgencies: [], accreditations: [{ id: 'urn:a:1', accreditingAgent: {}, dateIssued: 'soon' }] }), /accreditation #0/],
    ];
    for (const [file, content, pattern] of bad) {
      const path = join(dir, file);
      if (content) writeFileSync(path, content);
      const err = await loadTrustList(repo(), path).catch((e: unknown) => e);
      expect(err, file).toBeInstanceOf(TrustListError);
      expect((err as TrustListError).code).toBe('TRUST_LIST_INVALID');
      expect((err as Error).message).toContain(path);
      expect((err as Error).message).toMatch(pattern);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { accreditationForCredential, buildMicroCredential, validateMicroCredentialRequest, type MicroCredentialRequest } from '../../src/elm/index.js';
import { cleanAccreditationNode } from '../../src/trust/index.js';
import { edcSchemaErrors } from './edc-json-schema.js';
import { elmDocumentLoader, readReferenceJson, validateShacl } from './shacl.js';
import { institution, maximalRequest, minimalRequest, NOW, sequentialIds } from './fixtures.js';

const qdr = (name: string): Record<string, unknown> => readReferenceJson('edci', 'accreditation', `framed_accreditation-${name}.json`);
// The registry stores QDR nodes without their @context (src/trust): the builder gets that form in production.
const stored = (name: string): Record<string, unknown> => {
  const { '@context': _c, ...node } = qdr(name);
  return cleanAccreditationNode(node);
};

async function build(request: MicroCredentialRequest, accreditation?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const req = validateMicroCredentialRequest(structuredClone(request));
  return buildMicroCredential(accreditation ? { ...req, qualityAssurance: { accreditationId: 'acc-1' } } : req, {
    institution, now: NOW, newId: sequentialIds(), documentLoader: elmDocumentLoader(), ...(accreditation ? { accreditation } : {}),
  });
}

const requests: [string, MicroCredentialRequest][] = [['minimal', minimalRequest], ['maximal', maximalRequest]];
const RECORDS = ['limitEQFlevel-eternal', 'expired', 'future', 'limitField-eternal', 'limitJurisdiction-eternal'];

describe('ELM content of built credentials against the EBSI EDC JSON Schema', () => {
  for (const [name, request] of requests) {
    it(`${name}, not accredited: valid`, async () => {
      expect(edcSchemaErrors(await build(request))).toEqual([]);
    });
    it(`${name}, accredited by the QDR record (with its own @context): valid`, async () => {
      expect(edcSchemaErrors(await build(request, qdr('limitEQFlevel-eternal')))).toEqual([]);
    });
    it(`${name}, accredited by the registry's stored copy of that record: valid`, async () => {
      expect(edcSchemaErrors(await build(request, stored('limitEQFlevel-eternal')))).toEqual([]);
    });
  }

  for (const file of RECORDS) {
    it(`embeds framed_accreditation-${file} in both forms: schema-valid and SHACL-conformant (accredited profile)`, async () => {
      for (const record of [qdr(file), stored(file)]) {
        const vc = await build(maximalRequest, record);
        expect(edcSchemaErrors(vc)).toEqual([]);
        expect((await validateShacl(vc, 'accredited')).violations).toEqual([]);
      }
    });
  }

  it('the harness can fail: registry bookkeeping on the embedded node is refused', async () => {
    const vc = await build(minimalRequest, qdr('limitEQFlevel-eternal'));
    const spec = ((vc['credentialSubject'] as any).hasClaim[0] as any).specifiedBy;
    spec.accreditation[0]['elm:status'] = 'released';
    spec.accreditation[0].accreditingAgent.type = ['Organisation', 'foaf:Agent'];
    const errors = edcSchemaErrors(vc);
    expect(errors).toContainEqual({ path: '/credentialSubject/hasClaim/0/specifiedBy/accreditation/0', message: 'must NOT have additional properties "elm:status"' });
    expect(errors.some((e) => e.path === '/credentialSubject/hasClaim/0/specifiedBy/accreditation/0/accreditingAgent/type')).toBe(true);
  });
});

describe('accreditationForCredential keeps only application-profile members', () => {
  const at = (o: unknown, ...path: (string | number)[]): any => path.reduce((x: any, k) => x?.[k], o);

  for (const [form, record] of [['QDR', () => qdr('limitEQFlevel-eternal')], ['stored', () => stored('limitEQFlevel-eternal')]] as const) {
    it(`${form} form: no bookkeeping, one ELM type per node, identifiers re-expressed in ELM terms`, async () => {
      const node = await accreditationForCredential(record(), elmDocumentLoader());
      const text = JSON.stringify(node);
      for (const gone of ['elm:status', 'dc:modified', 'dateModified', 'publisher', 'foaf:Agent', 'adms:Identifier', '@type', '@value']) {
        expect(text, gone).not.toContain(`"${gone}"`);
      }
      expect(at(node, 'accreditingAgent', 'type')).toBe('Organisation');
      // The QDR notation is a literal typed with the register's URI: ADMS reads that datatype as the scheme.
      const identifier = at(node, 'accreditingAgent', 'identifier');
      expect(Array.isArray(identifier) ? identifier[0] : identifier).toEqual({
        id: 'http://data.europa.eu/snb/data-dev/europassResource/74cf0d0b-ccc8-42b0-b456-1b0cccf84dad', type: 'Identifier',
        notation: 'ACCRED0051ID06', schemeId: 'http://qdr.eoppep.gr', schemeName: 'ACCREDIdentifier6SchemeID_0051',
        creator: 'http://ACCREDIdentifier6SchemeAgencyID_0051',
      });
      // What the credential states about the accreditation is kept.
      expect(node).toMatchObject({
        id: 'http://data.europa.eu/snb/data-dev/accreditation/d2455324-332c-4f80-80b8-bd37312341d6', type: 'Accreditation',
        dcType: { id: 'http://data.europa.eu/snb/accreditation/003293d2ce' },
        limitEQFLevel: { id: 'http://data.europa.eu/snb/eqf/6' },
        organisation: { id: 'http://data.europa.eu/snb/data-dev/europassResource/d5e65781-d028-4df8-95ab-611078dd2e2d', legalName: { en: 'Ministry of Rural Development and Food' } },
      });
      expect(at(node, 'organisation', 'homepage', 'contentURL')).toBe('http://www.minagric.gr');
      // The QDR registration (a plain Identifier) is kept as the organisation's identifier.
      expect(at(node, 'organisation', 'registration')).toBeUndefined();
      expect(at(node, 'organisation', 'identifier')).toEqual([expect.objectContaining({ type: 'Identifier', notation: 'ACCRED0051ID06' })]);
    });
  }

  it('does not change the caller\'s record', async () => {
    const record = stored('limitEQFlevel-eternal');
    const before = structuredClone(record);
    await accreditationForCredential(record, elmDocumentLoader());
    expect(record).toEqual(before);
  });

  it('drops nodes of classes the embedded copy does not carry, and keeps plain references', async () => {
    const record = stored('limitEQFlevel-eternal');
    (record['organisation'] as Record<string, unknown>)['hasMember'] = { id: 'urn:x:person', type: 'Person', givenName: { en: 'A' } };
    record['report'] = 'https://qa.example/report/1';
    const node = await accreditationForCredential(record, elmDocumentLoader());
    expect(at(node, 'organisation', 'hasMember')).toBeUndefined();
    expect(node['report']).toBe('https://qa.example/report/1');
  });

  it('still refuses a record that would fail the shapes after cleaning, in the stored form too', async () => {
    const { dcType: _t, ...noType } = stored('limitEQFlevel-eternal');
    await expect(accreditationForCredential(noType, elmDocumentLoader())).rejects.toMatchObject({ code: 'ACCREDITATION_INVALID', status: 422 });
  });
});

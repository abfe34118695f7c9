import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { createDocumentLoader } from '../../src/jsonld/index.js';
import { MANDATORY_ELEMENTS } from '../../src/elm/index.js';
import type { IssuerDidDocument } from '../../src/did/index.js';
import { resolveFrom } from '../issuing/fixtures.js';
import { validateShacl } from '../elm/shacl.js';
import { courseSpec, fullRequest } from '../microcredentials/fixtures.js';

// Request fields that supply each Annex I element the request (not the institution) must carry.
const REMOVABLE: Record<string, string> = {
  learningOutcomes: 'learningOutcomes', workload: 'workload', level: 'eqfLevel', assessmentType: 'assessment', participation: 'participation', qualityAssurance: 'qualityAssurance',
};

/**
 * SHACL over the issued credential without its proof. The EDC shapes type cred:credentialStatus
 * as an xsd:anyURI literal, while the service adds a W3C BitstringStatusListEntry node: that
 * one known divergence is asserted exactly; everything else must conform.
 */
async function expectShaclConformant(cred: Record<string, unknown>): Promise<void> {
  const { proof: _p, credentialStatus: _s, ...core } = cred;
  const outcome = await validateShacl(core);
  expect(outcome.violations).toEqual([]);
  expect(outcome.conforms).toBe(true);
  const { proof: _p2, ...withStatus } = cred;
  const full = await validateShacl(withStatus);
  expect(full.violations.map((v) => [v.path, v.shape])).toEqual([
    ['https://www.w3.org/2018/credentials#credentialStatus', 'http://data.europa.eu/snb/model/ap/edc-generic-no-cv/EuropeanDigitalCredential-cred_credentialStatus'],
  ]);
}

for (const kind of storeKinds) {
  describe(`POST /issuers/{slug}/micro-credentials [${kind}]`, () => {
    let t: TestApp;
    let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
    let other: Awaited<ReturnType<TestApp['createInstitution']>>;
    let didDoc: IssuerDidDocument;
    const issue = (payload: unknown, headers: Record<string, string> = {}, slug = 'mc-a') =>
      t.app.inject({ method: 'POST', url: `/issuers/${slug}/micro-credentials`, headers: { ...inst.auth, ...headers }, payload: payload as object });

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      inst = await t.createInstitution('mc-a');
      other = await t.createInstitution('mc-b');
      didDoc = (await t.app.inject({ method: 'GET', url: '/issuers/mc-a/did.json' })).json();
    });
    afterAll(async () => t.close());

    it('issues from a full request: 201, SHACL-conformant, stock library verifies the proof, stored as micro-credential', async () => {
      const res = await issue(fullRequest);
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      const cred = body.verifiableCredential;
      expect(body.id).toBe(cred.id);
      expect(cred.type).toContain('EuropeanDigitalCredential');
      expect(cred.issuer.id).toBe(inst.did);
      expect(cred.proof.cryptosuite).toBe('eddsa-rdfc-2022');
      expect(body.annexI.complete).toBe(true);
      expect(body.summary.title).toBe('Data literacy basics');
      await expectShaclConformant(cred);
      const loader = createDocumentLoader({ resolveDid: resolveFrom(didDoc) });
      // Only the proof is under test here: status lists have their own suite, so the status check is a pass-through.
      const verify = (credential: unknown) => vc.verifyCredential({
        credential, suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), documentLoader: loader, checkStatus: async () => ({ verified: true }),
      });
      const ok = await verify(cred);
      expect(ok.verified, String(ok.error?.message ?? JSON.stringify(ok.results))).toBe(true);
      const tampered = structuredClone(cred);
      tampered.credentialSubject.givenName = { en: 'Mallory' };
      expect((await verify(tampered)).verified).toBe(false);
      const read = await t.app.inject({ method: 'GET', url: `/credentials/${encodeURIComponent(body.id)}`, headers: inst.auth });
      expect(read.json().verifiableCredential).toEqual(cred);
      const { rows } = await t.db.query<{ kind: string }>('SELECT kind FROM credentials WHERE id = $1', [body.id]);
      expect(rows[0]?.kind).toBe('micro-credential');
    });

    it('issues from a template with only the learner and grade; template fields and per-learner fields both land', async () => {
      const tpl = await t.app.inject({ method: 'POST', url: '/issuers/mc-a/templates', headers: inst.auth, payload: { name: 'Data literacy', spec: courseSpec } });
      expect(tpl.statusCode).toBe(201);
      const res = await issue({ templateId: tpl.json().id, learner: { givenName: 'Bo', familyName: 'Brink' }, grade: 'Distinction', awardedDate: '2024-04-01T00:00:00Z', options: { mechanism: 'ecdsa-rdfc-2019' } });
      expect(res.statusCode, res.body).toBe(201);
      const { verifiableCredential: cred, summary, annexI } = res.json();
      expect(cred.proof.cryptosuite).toBe('ecdsa-rdfc-2019');
      expect(annexI.complete).toBe(true);
      expect(JSON.stringify(cred)).toContain('Distinction');
      expect(summary.title).toBe('Data literacy basics');
      expect(JSON.stringify(summary)).toContain('Brink');
      await expectShaclConformant(cred);
    });

    it('a template of another institution is not found (404), and its slug is forbidden (403)', async () => {
      const tpl = await t.app.inject({ method: 'POST', url: '/issuers/mc-b/templates', headers: other.auth, payload: { name: 'B course', spec: courseSpec } });
      const res = await issue({ templateId: tpl.json().id, learner: { givenName: 'X', familyName: 'Y' } });
      expect([res.statusCode, res.json().code]).toEqual([404, 'TEMPLATE_NOT_FOUND']);
      const forbidden = await issue(fullRequest, {}, 'mc-b');
      expect(forbidden.statusCode).toBe(403);
    });

    for (const element of Object.keys(REMOVABLE)) {
      it(`missing ${element} → 422 MICROCREDENTIAL_INCOMPLETE naming it`, async () => {
        const req: Record<string, unknown> = structuredClone(fullRequest);
        delete req[REMOVABLE[element]!];
        const res = await issue(req);
        expect([res.statusCode, res.json().code]).toEqual([422, 'MICROCREDENTIAL_INCOMPLETE']);
        expect(res.json().details.missing).toEqual([element]);
      });
    }

    it('every missing element is listed at once', async () => {
      const res = await issue({ learner: fullRequest.learner, title: 'Bare' });
      expect(res.statusCode).toBe(422);
      expect(res.json().details.missing).toEqual(Object.keys(REMOVABLE));
      expect(MANDATORY_ELEMENTS).toEqual(expect.arrayContaining(Object.keys(REMOVABLE)));
    });

    const vocab: [string, Record<string, unknown>, string][] = [
      ['assessment.type', { assessment: { type: 'telepathy' } }, 'telepathy'],
      ['participation.mode', { participation: { mode: 'by-carrier-pigeon' } }, 'by-carrier-pigeon'],
      ['qualityAssurance.type', { qualityAssurance: { type: 'self-declared' } }, 'self-declared'],
      ['languages', { languages: ['zz'] }, 'zz'],
    ];
    for (const [field, patch, value] of vocab) {
      it(`unknown vocabulary code in ${field} → 400 UNKNOWN_VOCABULARY_CODE listing allowed values`, async () => {
        const res = await issue({ ...fullRequest, ...patch });
        expect([res.statusCode, res.json().code]).toEqual([400, 'UNKNOWN_VOCABULARY_CODE']);
        expect(res.json().details.value).toBe(value);
        expect(res.json().details.allowed.length).toBeGreaterThan(1);
      });
    }

    it('schema errors → 400 INVALID_REQUEST; vc+jwt → 400 JOSE_REQUIRES_VC2; unknown accreditation → 422 ACCREDITATION_NOT_FOUND', async () => {
      const bad = await issue({ ...fullRequest, eqfLevel: 9, learner: { givenName: 'A' } });
      expect([bad.statusCode, bad.json().code]).toEqual([400, 'INVALID_REQUEST']);
      expect(bad.json().details.errors.length).toBeGreaterThanOrEqual(2);
      const jwt = await issue({ ...fullRequest, options: { mechanism: 'vc+jwt' } });
      expect([jwt.statusCode, jwt.json().code]).toEqual([400, 'JOSE_REQUIRES_VC2']);
      const acc = await issue({ ...fullRequest, qualityAssurance: { accreditationId: 'no-such-accreditation' } });
      expect([acc.statusCode, acc.json().code]).toEqual([422, 'ACCREDITATION_NOT_FOUND']);
    });

    it('impossible dates → 400: award after the issuing time (beyond the clock skew), birth in the future or not before the award', async () => {
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const cases: [Record<string, unknown>, string][] = [
        [{ awardedDate: '2099-12-31T00:00:00Z' }, 'AWARDED_DATE_IN_FUTURE'],
        [{ awardedDate: future }, 'AWARDED_DATE_IN_FUTURE'],
        [{ learner: { givenName: 'A', familyName: 'B', dateOfBirth: '2090-01-01' } }, 'DATE_OF_BIRTH_IN_FUTURE'],
        [{ awardedDate: '2024-05-01T00:00:00Z', learner: { givenName: 'A', familyName: 'B', dateOfBirth: '2024-05-01' } }, 'DATE_OF_BIRTH_AFTER_AWARD'],
        [{ awardedDate: '2024-05-01T00:00:00Z', learner: { givenName: 'A', familyName: 'B', dateOfBirth: '2030-01-01' } }, 'DATE_OF_BIRTH_IN_FUTURE'],
        // A leap second passes the date-time format but is no instant: refused, never a 500 or a pass.
        [{ awardedDate: '2099-12-31T23:59:60Z' }, 'INVALID_REQUEST'],
        [{ awardedDate: '2016-12-31T23:59:60Z', learner: { givenName: 'A', familyName: 'B', dateOfBirth: '2000-01-01' } }, 'INVALID_REQUEST'],
      ];
      for (const [fields, code] of cases) {
        const res = await issue({ ...fullRequest, ...fields });
        expect([res.statusCode, res.json().code], JSON.stringify(fields)).toEqual([400, code]);
      }
      // Within the clock skew, and a birth date before the award: issued.
      const ok = await issue({ ...fullRequest, awardedDate: new Date(Date.now() + 60_000).toISOString(), learner: { givenName: 'A', familyName: 'B', dateOfBirth: '2000-02-29' } });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('names and mandatory texts: trimmed; blank or with control characters → 400 INVALID_REQUEST', async () => {
      const bad: Record<string, unknown>[] = [
        { learner: { givenName: ' ', familyName: '\n' } },
        { learner: { givenName: 'Ana', familyName: 'Multi\r\nLine' } },
        { learner: { givenName: 'Ana\u0007', familyName: 'A' } },
        { learner: { givenName: 'Ana', familyName: '\u2028' } },
        { title: '   ' },
        { title: { en: '\t' } },
        { title: 'Two\nlines' },
        { learningOutcomes: [{ text: ' ' }] },
        { learningOutcomes: [{ text: { en: 'Interpret\u0000data' } }] },
      ];
      for (const fields of bad) {
        const res = await issue({ ...fullRequest, ...fields });
        expect([res.statusCode, res.json().code], JSON.stringify(fields)).toEqual([400, 'INVALID_REQUEST']);
      }
      const ok = await issue({ ...fullRequest, learner: { givenName: '  Ana ', familyName: '\tAndromeda\u00a0' }, title: ' Data literacy basics ' });
      expect(ok.statusCode, ok.body).toBe(201);
      const subject = ok.json().verifiableCredential.credentialSubject;
      expect([subject.givenName, subject.familyName, subject.fullName]).toEqual([{ en: 'Ana' }, { en: 'Andromeda' }, { en: 'Ana Andromeda' }]);
      expect(ok.json().summary.title).toBe('Data literacy basics');
    });

    it('Idempotency-Key: a retry returns the same credential; another body with the key → 422', async () => {
      const first = await issue(fullRequest, { 'idempotency-key': 'mc-key-1' });
      const again = await issue(fullRequest, { 'idempotency-key': 'mc-key-1' });
      expect(first.statusCode).toBe(201);
      expect(again.json().id).toBe(first.json().id);
      const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credentials WHERE id = $1', [first.json().id]);
      expect(rows[0]?.n).toBe(1);
      const other2 = await issue({ ...fullRequest, title: 'Another' }, { 'idempotency-key': 'mc-key-1' });
      expect([other2.statusCode, other2.json().code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    });
  });
}

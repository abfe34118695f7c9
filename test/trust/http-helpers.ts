/** HTTP helpers for the registry API tests: act as admin / institution, build and issue ELM credentials, verify. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { buildMicroCredential, validateMicroCredentialRequest, type MicroCredentialRequest } from '../../src/elm/index.js';
import type { Institution } from '../../src/institutions/types.js';
import type { CheckResult, VerificationReport } from '../../src/verifying/index.js';
import type { TestApp } from '../helpers/app.js';

/** The smallest Annex I complete request, at EQF level 6. */
export const request: MicroCredentialRequest = {
  learner: { givenName: 'Ana', familyName: 'Andromeda' },
  title: 'Data literacy basics',
  learningOutcomes: [{ text: 'Interpret descriptive statistics of a data set.' }],
  workload: { ects: 2 },
  eqfLevel: 6,
  assessment: { type: 'written-examination' },
  participation: { mode: 'online' },
  qualityAssurance: { type: 'institutional-qa' },
};

/** The institution record as the admin API shows it (what the ELM builder needs). */
export async function institutionOf(t: TestApp, slug: string): Promise<Institution> {
  const res = await t.app.inject({ method: 'GET', url: `/admin/institutions/${slug}`, headers: t.admin });
  expect(res.statusCode).toBe(200);
  return res.json<Institution>();
}

/** The registry organisation holding a DID. */
export async function organisationByDid(t: TestApp, did: string): Promise<Record<string, unknown> & { id: string }> {
  const res = await t.app.inject({ method: 'GET', url: `/registry/organisations?did=${encodeURIComponent(did)}` });
  expect(res.statusCode).toBe(200);
  const items = res.json<{ items: Array<Record<string, unknown> & { id: string }> }>().items;
  expect(items).toHaveLength(1);
  return items[0]!;
}

/** PUT trust on a registry organisation as admin. */
export async function setTrust(t: TestApp, id: string, trusted: boolean): Promise<Record<string, unknown>> {
  const res = await t.app.inject({ method: 'PUT', url: `/admin/registry/organisations/${id}/trust`, headers: t.admin, payload: { trusted } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Build an ELM micro-credential claiming the accreditation and issue it through POST /credentials/issue; `edit` changes it before signing. */
export async function issueAccredited(
  t: TestApp, inst: Institution, auth: { authorization: string }, accreditation: Record<string, unknown>, overrides: Partial<MicroCredentialRequest> = {},
  edit?: (credential: Record<string, unknown>) => void,
): Promise<Record<string, unknown>> {
  const req = validateMicroCredentialRequest(structuredClone({ ...request, ...overrides, qualityAssurance: { accreditationId: String(accreditation.id) } }));
  const credential = await buildMicroCredential(req, { institution: inst, accreditation, now: new Date(), newId: randomUUID });
  edit?.(credential);
  const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: auth, payload: { credential, options: { mechanism: 'eddsa-rdfc-2022' } } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ verifiableCredential: Record<string, unknown> }>().verifiableCredential;
}

/** POST /credentials/verify; returns the status code, the report and its lines by check. */
export async function verifyOverHttp(t: TestApp, vc: unknown): Promise<{ status: number; report: VerificationReport; line: (check: string) => CheckResult | undefined }> {
  const res = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: vc } });
  const report = res.json<VerificationReport>();
  return { status: res.statusCode, report, line: (check) => report.results.find((r) => r.check === check) };
}

/**
 * Annex I completeness of a request, before building: the schema leaves learning outcomes,
 * workload, level, assessment, participation and quality assurance optional so that one 422
 * can list every missing element at once. Learner, title, issuer country, awarding body and
 * issuing date are always supplied (schema, institution record, issuing time).
 */
import { UnprocessableError } from '../errors.js';
import { ANNEX_I_LABELS, type MandatoryElement } from './annex-i.js';
import type { MicroCredentialRequest } from './request-types.js';

/** One missing element of a request, with the request fields that would supply it. */
export interface MissingRequestElement { element: MandatoryElement; label: string; fields: string[] }

/** Result of the request-level Annex I check. */
export interface AnnexIRequestReport { complete: boolean; missing: MandatoryElement[]; details: MissingRequestElement[] }

const CHECKS: { element: MandatoryElement; fields: string[]; ok: (r: MicroCredentialRequest) => boolean }[] = [
  { element: 'learningOutcomes', fields: ['learningOutcomes'], ok: (r) => (r.learningOutcomes?.length ?? 0) > 0 },
  { element: 'workload', fields: ['workload.ects', 'workload.ecvet', 'workload.hours'], ok: (r) => r.workload !== undefined && [r.workload.ects, r.workload.ecvet, r.workload.hours].some((v) => v !== undefined) },
  { element: 'level', fields: ['eqfLevel', 'nqfLevel'], ok: (r) => r.eqfLevel !== undefined || r.nqfLevel !== undefined },
  { element: 'assessmentType', fields: ['assessment.type'], ok: (r) => !!r.assessment?.type },
  { element: 'participation', fields: ['participation.mode'], ok: (r) => !!r.participation?.mode },
  { element: 'qualityAssurance', fields: ['qualityAssurance.accreditationId', 'qualityAssurance.type'], ok: (r) => !!(r.qualityAssurance?.accreditationId || r.qualityAssurance?.type) },
];

/** Lists every Annex I element a (schema-valid) request does not supply. */
export function annexIRequestReport(request: MicroCredentialRequest): AnnexIRequestReport {
  const details = CHECKS.filter((c) => !c.ok(request)).map((c) => ({ element: c.element, label: ANNEX_I_LABELS[c.element], fields: c.fields }));
  return { complete: details.length === 0, missing: details.map((d) => d.element), details };
}

/** Throws 422 MICROCREDENTIAL_INCOMPLETE listing every missing Annex I element at once. */
export function assertAnnexIComplete(request: MicroCredentialRequest): void {
  const report = annexIRequestReport(request);
  if (!report.complete) {
    throw new UnprocessableError('MICROCREDENTIAL_INCOMPLETE',
      `The micro-credential lacks ${report.missing.length} element(s) required by Annex I of the Council Recommendation: ${report.details.map((d) => d.label).join('; ')}.`,
      { missing: report.missing, elements: report.details });
  }
}

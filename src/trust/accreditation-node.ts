import { asArray, idOf, idsOf, isObject, langText, notationOf, organisationRefOf } from './elm-read.js';
import { AccreditationRecordError } from './trust-errors.js';
import type { AccreditationLimits, AccreditationRecord, QualificationRef, TrustSource } from './types.js';

// QDR frames add terms their own @context defines differently from edc-ap (dateModified is a
// literal there, an IRI in edc-ap); dropping them keeps the stored node signable under edc-ap.
const DROPPED_KEYS = new Set(['@context', 'dateModified']);

/** Deep copy of an ELM node without @context and QDR-only bookkeeping terms. */
export function cleanAccreditationNode(node: Record<string, unknown>): Record<string, unknown> {
  return cleanValue(node) as Record<string, unknown>;
}

function cleanValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cleanValue);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (!DROPPED_KEYS.has(k)) out[k] = cleanValue(val);
  return out;
}

function qualificationRefOf(v: unknown): QualificationRef {
  const notations = isObject(v)
    ? asArray(v.identifier)
        .map((i) => (isObject(i) ? notationOf(i.notation) : null))
        .filter((n): n is string => n !== null)
    : [];
  return { id: idOf(v), notations };
}

function dateOf(v: unknown, field: string, id: string): string | null {
  const raw = asArray(v)[0];
  const text = isObject(raw) ? raw['@value'] : raw;
  if (text === undefined || text === null) return null;
  const t = typeof text === 'string' ? Date.parse(text) : NaN;
  if (Number.isNaN(t)) throw new AccreditationRecordError(`Accreditation ${id} has an unreadable ${field}.`, { id, field });
  return new Date(t).toISOString();
}

/** Read the limits of an ELM Accreditation node. */
export function limitsOf(node: Record<string, unknown>): AccreditationLimits {
  return {
    qualifications: asArray(node.limitQualification).map(qualificationRefOf),
    eqfLevels: idsOf(node.limitEQFLevel),
    fields: idsOf(node.limitField),
    jurisdictions: idsOf(node.limitJurisdiction),
    credentialTypes: idsOf(node.limitCredentialType),
  };
}

/** Normalise an ELM Accreditation node (QDR-framed or plain) into the record the checks use. */
export function readAccreditationNode(
  input: unknown,
  source: TrustSource,
): Omit<AccreditationRecord, 'organisationId' | 'accreditingAgentId' | 'credential' | 'credentialIssuer'> {
  if (!isObject(input)) throw new AccreditationRecordError('An accreditation must be a JSON object.');
  const id = idOf(input);
  if (!id) throw new AccreditationRecordError('The accreditation has no id URI.');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(id)) throw new AccreditationRecordError(`Accreditation id ${id} is not an absolute URI.`, { id });
  const types = asArray(input.type ?? input['@type']);
  if (types.length > 0 && !types.some((t) => t === 'Accreditation' || t === 'elm:Accreditation' || t === 'http://data.europa.eu/snb/model/elm/Accreditation')) {
    throw new AccreditationRecordError(`Node ${id} is not an Accreditation.`, { id, types });
  }
  const agent = asArray(input.accreditingAgent)[0];
  if (agent === undefined || !idOf(agent)) {
    throw new AccreditationRecordError(`Accreditation ${id} names no accrediting agent.`, { id });
  }
  const org = asArray(input.organisation)[0];
  return {
    id,
    title: langText(input.title),
    type: idOf(asArray(input.dcType)[0]),
    organisation: organisationRefOf(org),
    accreditingAgent: organisationRefOf(agent),
    dateIssued: dateOf(input.dateIssued, 'dateIssued', id),
    expiryDate: dateOf(input.expiryDate, 'expiryDate', id),
    reviewDate: dateOf(input.reviewDate, 'reviewDate', id),
    limits: limitsOf(input),
    node: cleanAccreditationNode(input),
    source,
  };
}

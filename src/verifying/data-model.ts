import { CTX } from './context-policy.js';
import { isXsdDateTime } from '../xsd.js';

/** First data-model violation found, as a code and a reason. */
export interface ModelProblem {
  code: 'MALFORMED_VALUE_ERROR' | 'PARSING_ERROR';
  message: string;
}

/** True for an absolute URL (scheme + parseable), which is what VC ids must be. */
export function isUrl(v: unknown): v is string {
  if (typeof v !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

/** True for an XSD dateTime string carrying a timezone and naming a real instant. */
export function isDateTime(v: unknown): v is string {
  return isXsdDateTime(v);
}

/** `type` as an array of strings (empty when absent or malformed). */
export function typesOf(doc: Record<string, unknown>): string[] {
  const t = doc.type;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : typeof t === 'string' ? [t] : [];
}

/** The issuer's id whether `issuer` is a URL or an object with an id. */
export function issuerId(doc: Record<string, unknown>): string | undefined {
  const i = doc.issuer;
  if (typeof i === 'string') return i;
  if (typeof i === 'object' && i !== null && typeof (i as Record<string, unknown>).id === 'string') return (i as Record<string, string>).id;
  return undefined;
}

/** Values of a property as an array. */
export function valuesOf(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const bad = (message: string): ModelProblem => ({ code: 'MALFORMED_VALUE_ERROR', message });

/** VC 1.1 / 2.0 data-model rules for a credential; null when it conforms. */
export function credentialModelProblem(doc: Record<string, unknown>): ModelProblem | null {
  const ctx = valuesOf(doc['@context']);
  const v1 = ctx[0] === CTX.VC_V1;
  if (!typesOf(doc).includes('VerifiableCredential')) return bad('"type" must include VerifiableCredential.');
  if (doc.id !== undefined && !isUrl(doc.id)) return bad('"id" must be a URL.');
  const iss = issuerId(doc);
  if (!isUrl(iss)) return bad('"issuer" must be a URL or an object whose "id" is a URL.');
  const subjects = valuesOf(doc.credentialSubject);
  if (subjects.length === 0) return bad('"credentialSubject" is required.');
  for (const s of subjects) {
    if (typeof s !== 'object' || s === null || Array.isArray(s) || Object.keys(s).length === 0) return bad('"credentialSubject" must be a non-empty object.');
    const sid = (s as Record<string, unknown>).id;
    if (sid !== undefined && !isUrl(sid)) return bad('"credentialSubject.id" must be a URL.');
  }
  if (v1 && doc.issuanceDate === undefined) return bad('"issuanceDate" is required in VC 1.1.');
  for (const prop of ['issuanceDate', 'expirationDate', 'validFrom', 'validUntil', 'issued']) {
    if (doc[prop] !== undefined && !isDateTime(doc[prop])) return bad(`"${prop}" must be an XSD dateTime with a timezone.`);
  }
  for (const prop of ['credentialStatus', 'credentialSchema', 'evidence', 'refreshService', 'termsOfUse']) {
    for (const entry of valuesOf(doc[prop])) {
      if (typeof entry !== 'object' || entry === null) return bad(`"${prop}" entries must be objects.`);
      const e = entry as Record<string, unknown>;
      if (e.id !== undefined && !isUrl(e.id)) return bad(`"${prop}.id" must be a URL.`);
      if (prop !== 'evidence' && typesOf(e).length === 0) return bad(`"${prop}" entries need a type.`);
    }
  }
  return null;
}

/** VC 1.1 / 2.0 data-model rules for a presentation's own properties; null when it conforms. */
export function presentationModelProblem(doc: Record<string, unknown>): ModelProblem | null {
  if (!typesOf(doc).includes('VerifiablePresentation')) return bad('"type" must include VerifiablePresentation.');
  if (doc.id !== undefined && !isUrl(doc.id)) return bad('"id" must be a URL.');
  const holder = typeof doc.holder === 'object' && doc.holder !== null ? (doc.holder as Record<string, unknown>).id : doc.holder;
  if (doc.holder !== undefined && !isUrl(holder)) return bad('"holder" must be a URL.');
  return null;
}

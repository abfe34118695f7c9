/** JSON Schema validation of the micro-credential request (ajv, all errors at once). */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { BadRequestError } from '../errors.js';
import schema from '../../schemas/micro-credential.request.json' with { type: 'json' };
import type { MicroCredentialRequest } from './request-types.js';

// ajv-formats is CJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile<MicroCredentialRequest>(schema);

/** The request JSON Schema (for OpenAPI). */
export const microCredentialRequestSchema: Readonly<Record<string, unknown>> = schema;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const trimText = (v: unknown): unknown =>
  typeof v === 'string' ? v.trim() : isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, t]) => [k, typeof t === 'string' ? t.trim() : t])) : v;

/**
 * A copy of the body with surrounding whitespace trimmed from the learner's names, the title and
 * the learning outcomes, as CSV cells are: a blank value then fails `minLength` like an empty one,
 * and JSON and CSV give the same credential. Other shapes are left for the schema to report.
 */
function trimmed(body: unknown): unknown {
  if (!isObject(body)) return body;
  const out: Record<string, unknown> = { ...body };
  if (isObject(body['learner'])) {
    const learner: Record<string, unknown> = { ...body['learner'] };
    for (const k of ['givenName', 'familyName']) if (typeof learner[k] === 'string') learner[k] = (learner[k] as string).trim();
    out['learner'] = learner;
  }
  if ('title' in body) out['title'] = trimText(body['title']);
  if (Array.isArray(body['learningOutcomes'])) {
    out['learningOutcomes'] = body['learningOutcomes'].map((lo: unknown) => (isObject(lo) && 'text' in lo ? { ...lo, text: trimText(lo['text']) } : lo));
  }
  return out;
}

/** Validates a request body against the schema (names and mandatory texts trimmed first); throws 400 INVALID_REQUEST with every ajv error. */
export function validateMicroCredentialRequest(input: unknown): MicroCredentialRequest {
  const body = trimmed(input);
  if (validate(body)) return body;
  const errors = (validate.errors ?? []).map((e) => ({
    path: e.instancePath || '/', keyword: e.keyword, message: e.message ?? 'invalid', params: e.params,
  }));
  throw new BadRequestError('INVALID_REQUEST', 'The micro-credential request does not match its schema.', { errors });
}

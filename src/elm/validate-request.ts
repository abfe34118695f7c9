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

/** Validates a request body against the schema; throws 400 INVALID_REQUEST with every ajv error. */
export function validateMicroCredentialRequest(body: unknown): MicroCredentialRequest {
  if (validate(body)) return body;
  const errors = (validate.errors ?? []).map((e) => ({
    path: e.instancePath || '/', keyword: e.keyword, message: e.message ?? 'invalid', params: e.params,
  }));
  throw new BadRequestError('INVALID_REQUEST', 'The micro-credential request does not match its schema.', { errors });
}

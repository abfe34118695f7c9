/**
 * Validation harness for the ELM content of a credential against EBSI's EDC JSON Schema
 * (vcdm2.0-europass-edc-schema, shared reference folder). The schema also requires the VC 2.0
 * envelope (`allOf` with the attestation schema, three `type` values); our credentials are
 * VC 1.1 by design (README, "Why VC Data Model 1.1"), so only the EuropeanDigitalCredential
 * definition is applied and its `type` list is reduced to "contains EuropeanDigitalCredential".
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readReferenceJson } from './shacl.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;

/** One schema error, flattened for assertions and messages. */
export interface SchemaError { path: string; message: string }

function elmContentSchema(): Record<string, unknown> {
  const schema = readReferenceJson('ebsi', 'vcdm2.0-europass-edc-schema', 'schema.json');
  const defs = schema['$defs'] as Record<string, Record<string, unknown>>;
  const edc = structuredClone(defs['EuropeanDigitalCredentialType']!);
  (edc['properties'] as Record<string, unknown>)['type'] = { type: 'array', items: { type: 'string' }, contains: { const: 'EuropeanDigitalCredential' } };
  const { $id: _id, allOf: _envelope, ...rest } = schema;
  return { ...rest, $defs: { ...defs, EuropeanDigitalCredentialType: edc }, allOf: [{ $ref: '#/$defs/EuropeanDigitalCredentialType' }] };
}

let validate: ReturnType<Ajv2020['compile']> | undefined;

/** Validates a credential's ELM content; returns every error (empty when valid). */
export function edcSchemaErrors(credential: unknown): SchemaError[] {
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(elmContentSchema());
  }
  if (validate(credential)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => ({
    path: e.instancePath || '/',
    message: `${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` "${String(e.params['additionalProperty'])}"` : ''}`,
  }));
}

/** Merging per-learner fields over a template's course specification. */
import type { MicroCredentialRequest } from '../elm/index.js';

// Objects merged key by key, so `{assessment: {grade}}` keeps the template's assessment type.
const MERGED_OBJECTS = new Set(['assessment', 'participation', 'qualityAssurance', 'workload', 'stackability', 'furtherInformation']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Folds the `grade` shortcut into `assessment.grade` (a new object; the input is not touched).
 * Non-object input is returned as is so schema validation reports it.
 */
export function foldShortcuts(fields: Record<string, unknown>): Record<string, unknown> {
  if (!('grade' in fields)) return fields;
  const { grade, ...rest } = fields;
  const assessment = isObject(rest['assessment']) ? rest['assessment'] : {};
  return { ...rest, assessment: { ...assessment, grade } };
}

/** Merges request fields over a template spec: scalars and arrays replace, the listed objects merge shallowly. */
export function mergeOverTemplate(spec: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(spec);
  for (const [key, value] of Object.entries(foldShortcuts(fields))) {
    if (value === undefined) continue;
    const base = out[key];
    out[key] = MERGED_OBJECTS.has(key) && isObject(base) && isObject(value) ? { ...base, ...structuredClone(value) } : structuredClone(value);
  }
  return out;
}

/** A placeholder learner, used to validate a template as if it were a request. */
export const PLACEHOLDER_LEARNER: MicroCredentialRequest['learner'] = { givenName: 'Template', familyName: 'Check' };

/** Language-map helpers for ELM text properties (`@container: @language`). */
import type { LangText } from './request-types.js';

/** A JSON-LD language map: ISO 639-1 code -> text (EDC form). */
export type LangMap = Record<string, string>;

/** Turns request text into a language map; plain strings are in the primary language. */
export function toLangMap(text: LangText, primaryLanguage: string): LangMap {
  return typeof text === 'string' ? { [primaryLanguage]: text } : { ...text };
}

/** Language codes used by a text value (none for plain strings). */
export function langsOf(text: LangText | undefined): string[] {
  return text === undefined || typeof text === 'string' ? [] : Object.keys(text);
}

/**
 * Picks one string from a language map value as found in any ELM credential: a string, a
 * map whose values may be strings or arrays, or a JSON-LD value object. Prefers `lang`, then
 * `fallback`, then English, then the first language present.
 */
export function pickText(value: unknown, lang?: string, fallback?: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    for (const v of value) { const t = pickText(v, lang, fallback); if (t) return t; }
    return undefined;
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('@value' in obj) return pickText(obj['@value']);
    for (const key of [lang, fallback, 'en']) {
      if (key && key in obj) { const t = pickText(obj[key]); if (t) return t; }
    }
    for (const v of Object.values(obj)) { const t = pickText(v); if (t) return t; }
  }
  return undefined;
}

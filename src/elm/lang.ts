/** Language-map helpers for ELM text properties (`@container: @language`). */
import type { LangText } from './request-types.js';

// EU language authority codes (ISO 639-2/T) → ISO 639-1, the keys of ELM language maps. A Map:
// codes come from documents, and "constructor" must not find anything on Object.prototype.
const ISO639_2T_TO_1: ReadonlyMap<string, string> = new Map(Object.entries({
  bul: 'bg', ces: 'cs', dan: 'da', deu: 'de', ell: 'el', eng: 'en', spa: 'es', est: 'et', fin: 'fi', fra: 'fr', gle: 'ga',
  hrv: 'hr', hun: 'hu', ita: 'it', lit: 'lt', lav: 'lv', mlt: 'mt', nld: 'nl', pol: 'pl', por: 'pt', ron: 'ro', slk: 'sk',
  slv: 'sl', swe: 'sv', nor: 'no', isl: 'is', tur: 'tr', mkd: 'mk', srp: 'sr',
}));

/** ISO 639-1 code of a language code, 2-letter or EU authority 3-letter (any case); undefined when unknown. */
export function iso639_1Of(code: string): string | undefined {
  const c = code.toLowerCase();
  return /^[a-z]{2}$/.test(c) ? c : ISO639_2T_TO_1.get(c);
}

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
      if (key && Object.hasOwn(obj, key)) { const t = pickText(obj[key]); if (t) return t; }
    }
    for (const v of Object.values(obj)) { const t = pickText(v); if (t) return t; }
  }
  return undefined;
}

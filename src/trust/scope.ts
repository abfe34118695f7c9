// Coverage rules for accreditation limits. Controlled vocabularies are hierarchical by code:
// ISCED-F 2-digit broad ⊃ 3-digit narrow ⊃ 4-digit detailed (06 ⊃ 061 ⊃ 0613), and a country
// (country/ESP) contains its administrative units (atu/ESP_PR_BCN), which nest by "_" suffixes.

const ISCED_BASE = 'http://data.europa.eu/snb/isced-f/';
const EQF_BASE = 'http://data.europa.eu/snb/eqf/';
const COUNTRY_BASE = 'http://publications.europa.eu/resource/authority/country/';
const ATU_BASE = 'http://publications.europa.eu/resource/authority/atu/';

/** The ISCED-F code of a concept URI ("0613"), or null when it is not one. */
export function iscedCode(uri: string): string | null {
  if (!uri.startsWith(ISCED_BASE)) return null;
  const code = uri.slice(ISCED_BASE.length);
  return /^\d{2,4}$/.test(code) ? code : null;
}

/** True when the accredited field covers the credential's field (same or broader ISCED-F code). */
export function fieldCovers(limit: string, field: string): boolean {
  if (limit === field) return true;
  const l = iscedCode(limit);
  const f = iscedCode(field);
  return l !== null && f !== null && f.length > l.length && f.startsWith(l);
}

/** The EQF level number of a concept URI, or null. */
export function eqfLevel(uri: string): number | null {
  if (!uri.startsWith(EQF_BASE)) return null;
  const n = Number(uri.slice(EQF_BASE.length));
  return Number.isInteger(n) && n >= 1 && n <= 8 ? n : null;
}

/** Territorial code of a country or ATU URI ("ESP", "ESP_PR_BCN"), or null. */
function territoryCode(uri: string): string | null {
  if (uri.startsWith(COUNTRY_BASE)) return uri.slice(COUNTRY_BASE.length);
  if (uri.startsWith(ATU_BASE)) return uri.slice(ATU_BASE.length);
  return null;
}

/** True when the accredited jurisdiction contains the place (same, or a unit inside it). */
export function jurisdictionCovers(limit: string, place: string): boolean {
  if (limit === place) return true;
  const l = territoryCode(limit);
  const p = territoryCode(place);
  if (l === null || p === null) return false;
  return p === l || p.startsWith(`${l}_`);
}

/** Human label of EQF limits: "EQF level 6", "EQF levels 5–7", "EQF levels 4, 6". */
export function describeEqfLevels(uris: readonly string[]): string | null {
  const levels = [...new Set(uris.map(eqfLevel).filter((n): n is number => n !== null))].sort((a, b) => a - b);
  if (levels.length === 0) return null;
  if (levels.length === 1) return `EQF level ${levels[0]}`;
  const contiguous = levels.every((n, i) => i === 0 || n === levels[i - 1]! + 1);
  return contiguous ? `EQF levels ${levels[0]}–${levels[levels.length - 1]}` : `EQF levels ${levels.join(', ')}`;
}

/** Human label of ISCED-F limits: "ISCED-F 003, 061". */
export function describeFields(uris: readonly string[]): string | null {
  if (uris.length === 0) return null;
  return `ISCED-F ${uris.map((u) => iscedCode(u) ?? u).join(', ')}`;
}

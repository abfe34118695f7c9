import { alpha2Of } from './country-codes.js';
import type { LegalIdentifiers, OrganisationRef } from './types.js';

/** Plain JSON object guard. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ELM properties hold one value or an array; read both the same way. */
export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** The id of a node, or the value itself when it is a bare id reference. */
export function idOf(v: unknown): string | null {
  if (typeof v === 'string' && v.length > 0) return v;
  if (isObject(v)) {
    const id = v.id ?? v['@id'];
    if (typeof id === 'string' && id.length > 0) return id;
  }
  return null;
}

/** Every id of a property's values. */
export function idsOf(v: unknown): string[] {
  return asArray(v)
    .map(idOf)
    .filter((x): x is string => x !== null);
}

/** The text of a skos:notation, plain or as a typed literal {"@value": …}. */
export function notationOf(v: unknown): string | null {
  for (const n of asArray(v)) {
    if (typeof n === 'string' && n.length > 0) return n;
    if (isObject(n) && typeof n['@value'] === 'string') return n['@value'];
  }
  return null;
}

/** Pick one text from a language map (English first), a plain string or @value objects. */
export function langText(v: unknown): string | null {
  for (const item of asArray(v)) {
    if (typeof item === 'string') return item;
    if (isObject(item)) {
      if (typeof item['@value'] === 'string') return item['@value'];
      const en = item.en;
      if (typeof en === 'string') return en;
      if (Array.isArray(en) && typeof en[0] === 'string') return en[0];
      for (const val of Object.values(item)) {
        if (typeof val === 'string') return val;
        if (Array.isArray(val) && typeof val[0] === 'string') return val[0];
      }
    }
  }
  return null;
}

/** The type names of a node ("type" or "@type"). */
export function typesOf(v: unknown): string[] {
  if (!isObject(v)) return [];
  return asArray(v.type ?? v['@type']).filter((t): t is string => typeof t === 'string');
}

const LEGAL_ID_PROPERTIES: ReadonlyArray<[string, keyof LegalIdentifiers]> = [
  ['eIDASIdentifier', 'eidas'],
  ['vatIdentifier', 'vat'],
  ['taxIdentifier', 'tax'],
  ['registration', 'national'],
];

/** Legal identifiers of an ELM Organisation node, keyed by our kinds. */
export function legalIdentifiersOf(org: Record<string, unknown>): LegalIdentifiers {
  const out: LegalIdentifiers = {};
  for (const [prop, kind] of LEGAL_ID_PROPERTIES) {
    const n = asArray(org[prop]).map(notationOfNode).find((x) => x !== null);
    if (n) out[kind] = n;
  }
  return out;
}

function notationOfNode(v: unknown): string | null {
  return isObject(v) ? notationOf(v.notation) : null;
}

/** Alpha-2 country (LegalIdentifier `spatial`) of each legal identifier that states one, keyed like legalIdentifiersOf. */
export function legalIdentifierCountriesOf(org: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [prop, kind] of LEGAL_ID_PROPERTIES) {
    // The country belongs to the identifier legalIdentifiersOf picked: the first with a notation.
    const li = asArray(org[prop]).find((x) => notationOfNode(x) !== null);
    const country = isObject(li) ? idsOf(li.spatial).map(alpha2Of).find((c) => c !== null) : undefined;
    if (country) out[kind] = country;
  }
  return out;
}

/** Country / ATU concept URIs an organisation node names as its place. */
export function placesOf(org: Record<string, unknown>): string[] {
  const places = new Set<string>();
  for (const loc of asArray(org.location)) {
    if (!isObject(loc)) continue;
    for (const s of idsOf(loc.spatialCode)) places.add(s);
    for (const addr of asArray(loc.address)) {
      if (isObject(addr)) for (const c of idsOf(addr.countryCode)) places.add(c);
    }
  }
  for (const [prop] of LEGAL_ID_PROPERTIES) {
    for (const li of asArray(org[prop])) if (isObject(li)) for (const s of idsOf(li.spatial)) places.add(s);
  }
  return [...places];
}

/** Read the identifying facts of an ELM Organisation node (or a bare id reference). */
export function organisationRefOf(v: unknown): OrganisationRef {
  if (!isObject(v)) return { id: idOf(v), legalName: null, legalIdentifiers: {}, legalIdentifierCountries: {}, places: [] };
  return {
    id: idOf(v), legalName: langText(v.legalName), legalIdentifiers: legalIdentifiersOf(v), legalIdentifierCountries: legalIdentifierCountriesOf(v), places: placesOf(v),
  };
}

/** Normalise a legal identifier value for comparison: upper case, no spaces, dots or dashes. */
export function normaliseLegalId(value: string): string {
  return value.replace(/[\s.\-]/g, '').toUpperCase();
}

/** "kind:VALUE" keys of legal identifiers, the form the registry indexes (a lookup key: countries are compared after it). */
export function legalIdKeys(ids: LegalIdentifiers): string[] {
  const keys: string[] = [];
  for (const [kind, value] of Object.entries(ids)) {
    if (typeof value === 'string' && value.trim().length > 0) keys.push(`${kind}:${normaliseLegalId(value)}`);
  }
  return keys.sort();
}

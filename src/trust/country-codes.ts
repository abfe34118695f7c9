// EU authority tables name countries by ISO 3166-1 alpha-3 (…/country/IRL); the registry and the
// institution model use alpha-2. This covers the EU, EEA/EFTA, candidate and neighbouring countries
// that take part in Europass; other codes are kept as given.
// Maps, not object literals: a code read from a document ("__proto__", "constructor") must never
// find something on Object.prototype.
const ALPHA3_TO_ALPHA2: ReadonlyMap<string, string> = new Map(Object.entries({
  AUT: 'AT', BEL: 'BE', BGR: 'BG', HRV: 'HR', CYP: 'CY', CZE: 'CZ', DNK: 'DK', EST: 'EE', FIN: 'FI',
  FRA: 'FR', DEU: 'DE', GRC: 'GR', HUN: 'HU', IRL: 'IE', ITA: 'IT', LVA: 'LV', LTU: 'LT', LUX: 'LU',
  MLT: 'MT', NLD: 'NL', POL: 'PL', PRT: 'PT', ROU: 'RO', SVK: 'SK', SVN: 'SI', ESP: 'ES', SWE: 'SE',
  ISL: 'IS', LIE: 'LI', NOR: 'NO', CHE: 'CH', GBR: 'GB', ALB: 'AL', BIH: 'BA', MNE: 'ME', MKD: 'MK',
  SRB: 'RS', TUR: 'TR', UKR: 'UA', MDA: 'MD', GEO: 'GE', XKX: 'XK', AND: 'AD', MCO: 'MC', SMR: 'SM',
  VAT: 'VA', USA: 'US', CAN: 'CA',
}));

const ALPHA2_TO_ALPHA3: ReadonlyMap<string, string> = new Map([...ALPHA3_TO_ALPHA2].map(([a3, a2]) => [a2, a3]));

const COUNTRY_BASE = 'http://publications.europa.eu/resource/authority/country/';

/** Alpha-2 code of an EU authority country URI or alpha-3 code; null when unknown. */
export function alpha2Of(uriOrCode: string): string | null {
  const code = uriOrCode.startsWith(COUNTRY_BASE) ? uriOrCode.slice(COUNTRY_BASE.length) : uriOrCode;
  if (/^[A-Z]{2}$/.test(code)) return code;
  return ALPHA3_TO_ALPHA2.get(code) ?? null;
}

/** EU authority country URI of an alpha-2 code; null when unknown. */
export function countryUriOf(alpha2: string): string | null {
  const a3 = ALPHA2_TO_ALPHA3.get(alpha2.toUpperCase());
  return a3 ? `${COUNTRY_BASE}${a3}` : null;
}

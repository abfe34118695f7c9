import { describe, expect, it } from 'vitest';
import { alpha2Of, countryUriOf } from '../../src/trust/country-codes.js';
import { iso639_1Of, pickText } from '../../src/elm/lang.js';

// Codes come from documents a client sends; none may reach a member of Object.prototype.
const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('code tables read with codes from documents', () => {
  it('country codes: known ones map, Object.prototype members are unknown', () => {
    expect([alpha2Of('IRL'), alpha2Of('http://publications.europa.eu/resource/authority/country/DEU'), alpha2Of('BE'), countryUriOf('ie')]).toEqual([
      'IE', 'DE', 'BE', 'http://publications.europa.eu/resource/authority/country/IRL',
    ]);
    for (const code of HOSTILE) {
      expect([alpha2Of(code), alpha2Of(`http://publications.europa.eu/resource/authority/country/${code}`), countryUriOf(code)]).toEqual([null, null, null]);
    }
  });

  it('language codes: 2-letter and EU 3-letter codes map, Object.prototype members are unknown', () => {
    expect([iso639_1Of('deu'), iso639_1Of('ENG'), iso639_1Of('fr'), iso639_1Of('xyz')]).toEqual(['de', 'en', 'fr', undefined]);
    for (const code of HOSTILE) expect(iso639_1Of(code)).toBeUndefined();
  });

  it('a language map is read by its own keys only', () => {
    expect(pickText({ en: 'Hello' }, 'constructor')).toBe('Hello');
    expect(pickText({ en: 'Hello' }, '__proto__', 'toString')).toBe('Hello');
  });
});

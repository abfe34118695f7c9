import { describe, expect, it } from 'vitest';
import { concept, findConcept, getVocabulary, lookupConcept, type VocabularyName } from '../../src/elm/index.js';

describe('vocabularies', () => {
  const cases: [VocabularyName, string, string][] = [
    ['eqf', '6', 'http://data.europa.eu/snb/eqf/6'],
    ['nqf', 'c_c392e7a2', 'http://data.europa.eu/snb/qdr/c_c392e7a2'],
    ['nqf', 'http://data.europa.eu/snb/qdr/c_c392e7a2', 'http://data.europa.eu/snb/qdr/c_c392e7a2'],
    ['credit-framework', 'ects', 'http://data.europa.eu/snb/education-credit/6fcec5c5af'],
    ['credit-framework', 'ecvet', 'http://data.europa.eu/snb/education-credit/60b314e826'],
    ['learning-setting', 'non-formal', 'http://data.europa.eu/snb/learning-setting/e207a81fc7'],
    ['mode', 'blended', 'http://data.europa.eu/snb/learning-assessment/e92d221e4d'],
    ['mode', 'research-lab', 'http://data.europa.eu/snb/learning-assessment/ed4c557045'],
    ['assessment-type', 'written-examination', 'http://data.europa.eu/snb/assessment/6e6cb2cc78'],
    ['supervision', 'unsupervised-no-id', 'http://data.europa.eu/snb/supervision-verification/c598449d64'],
    ['accreditation-type', 'institutional-qa', 'http://data.europa.eu/snb/accreditation/bb4618238e'],
    ['isced-f', '0688', 'http://data.europa.eu/snb/isced-f/0688'],
    ['country', 'IE', 'http://publications.europa.eu/resource/authority/country/IRL'],
    ['country', 'irl', 'http://publications.europa.eu/resource/authority/country/IRL'],
    ['country', 'GR', 'http://publications.europa.eu/resource/authority/country/GRC'],
    ['language', 'en', 'http://publications.europa.eu/resource/authority/language/ENG'],
    ['language', 'el', 'http://publications.europa.eu/resource/authority/language/ELL'],
    ['language', 'nl', 'http://publications.europa.eu/resource/authority/language/NLD'],
  ];
  for (const [name, code, uri] of cases) {
    it(`${name} ${code} -> ${uri}`, () => expect(findConcept(name, code)?.uri).toBe(uri));
  }

  it('concept nodes carry the typed scheme the SHACL CV shapes need', () => {
    expect(concept('eqf', '5', 'eqfLevel')).toEqual({
      id: 'http://data.europa.eu/snb/eqf/5', type: 'Concept',
      inScheme: { id: 'http://data.europa.eu/snb/eqf/25831c2', type: 'ConceptScheme' }, prefLabel: { en: 'Level 5' },
    });
  });

  it('local supervision concepts live in a local scheme', () => {
    expect(concept('supervision', 'supervised-with-id', 'f').inScheme.id).toBe('urn:microcred:concept-scheme:supervision');
  });

  const unknown: [VocabularyName, string][] = [['eqf', '9'], ['mode', 'hybrid'], ['country', 'XX'], ['language', 'xx'], ['assessment-type', 'vibes'], ['isced-f', '1234']];
  for (const [name, code] of unknown) {
    it(`unknown ${name} code "${code}" -> 400 UNKNOWN_VOCABULARY_CODE with field and allowed codes`, () => {
      try {
        lookupConcept(name, code, 'some.field');
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({ code: 'UNKNOWN_VOCABULARY_CODE', status: 400 });
        const detail = (e as { detail: { field: string; allowed: string[] } }).detail;
        expect(detail.field).toBe('some.field');
        expect(detail.allowed.length).toBe(getVocabulary(name).concepts.reduce((n, c) => n + 1 + (c.aliases?.length ?? 0), 0));
      }
    });
  }

  it('generated files are complete: 8 EQF levels, 4 accreditation types, 27 EU member states with alpha-2', () => {
    expect(getVocabulary('eqf').concepts).toHaveLength(8);
    expect(getVocabulary('accreditation-type').concepts).toHaveLength(4);
    const eu = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'];
    expect(eu.filter((c) => !findConcept('country', c))).toEqual([]);
  });
});

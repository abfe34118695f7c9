/**
 * Builds schemas/vocabularies/*.json (human code -> EU concept URI + English label) from the
 * official Europass controlled-vocabulary enumerations (.xsd, EUPL-1.2) in the shared reference
 * folder, plus ISO tables from npm packages for country alpha-2 and ISO 639-1 language codes.
 *
 * Run: npx tsx scripts/build-vocabularies.ts [path/to/shared/reference/edc/elm/vocabularies]
 * The generated JSON is committed; the service never reads the .xsd files at run time.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import countries from 'i18n-iso-countries';
import { iso6392 } from 'iso-639-2';

interface Concept { code: string; uri: string; label: string; aliases?: string[]; note?: string }
interface Vocabulary { name: string; scheme: string; source: string; concepts: Concept[] }

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const xsdDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'reference', 'edc', 'elm', 'vocabularies'));
const outDir = join(root, 'schemas', 'vocabularies');

/** Reads every `<xs:enumeration value=URI>` with its `<xs:documentation>` label. */
function readXsd(file: string): { uri: string; label: string }[] {
  const xml = readFileSync(join(xsdDir, file), 'utf8');
  const out: { uri: string; label: string }[] = [];
  const re = /<xs:enumeration value="([^"]+)">\s*<xs:annotation>\s*<xs:documentation>([\s\S]*?)<\/xs:documentation>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    out.push({ uri: m[1]!, label: m[2]!.replace(/\s+/g, ' ').trim() });
  }
  if (out.length === 0) throw new Error(`no enumerations in ${file}`);
  return out;
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const lastSegment = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1);

/** Maps labels to chosen human codes; every xsd entry must be covered so nothing is silently lost. */
function withCodes(file: string, codes: Record<string, string> | ((label: string, uri: string) => string)): Concept[] {
  return readXsd(file).map(({ uri, label }) => {
    const code = typeof codes === 'function' ? codes(label, uri) : codes[label];
    if (!code) throw new Error(`${file}: no code for "${label}" (${uri})`);
    return { code, uri, label };
  });
}

const SNB = 'http://data.europa.eu/snb';
const AUTH = 'http://publications.europa.eu/resource/authority';
const vocabularies: Vocabulary[] = [];
const add = (name: string, scheme: string, source: string, concepts: Concept[]): void => {
  vocabularies.push({ name, scheme, source, concepts: concepts.sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true })) });
};

add('eqf', `${SNB}/eqf/25831c2`, 'eqf.xsd', withCodes('eqf.xsd', (_l, uri) => lastSegment(uri)));
add('nqf', `${SNB}/qdr/25831c2`, 'nqf.xsd', withCodes('nqf.xsd', (_l, uri) => lastSegment(uri)));
add('credit-framework', `${SNB}/education-credit/25831c2`, 'credit-points.xsd',
  withCodes('credit-points.xsd', (label) => (label.startsWith('European Credit Transfer') ? 'ects' : label.startsWith('European credit system for vocational') ? 'ecvet' : '')));
add('learning-setting', `${SNB}/learning-setting/25831c2`, 'europass-learning-setting-types.xsd',
  withCodes('europass-learning-setting-types.xsd', { 'formal learning': 'formal', 'non-formal learning': 'non-formal' }));
add('mode', `${SNB}/learning-assessment/25831c2`, 'europass-modes.xsd', withCodes('europass-modes.xsd', {
  Workbased: 'work-based', 'Project based': 'project-based', Presential: 'presential', Online: 'online', Blended: 'blended', 'Research-Lab based': 'research-lab',
}));
add('assessment-type', `${SNB}/assessment/25831c2`, 'europass-learning-assessment-types.xsd',
  withCodes('europass-learning-assessment-types.xsd', (label) => slug(label)));
add('accreditation-type', `${SNB}/accreditation/25831c2`, 'europass-accreditation-types.xsd', withCodes('europass-accreditation-types.xsd', {
  'Institutional License': 'institutional-license', 'Institutional Quality Assurance': 'institutional-qa',
  'Program License': 'programme-license', 'Program Quality Assurance': 'programme-qa',
}));
add('learning-opportunity-type', `${SNB}/learning-opportunity/25831c2`, 'europass-learning-opportunity-types.xsd',
  withCodes('europass-learning-opportunity-types.xsd', (label) => slug(label)));
add('isced-f', `${SNB}/isced-f/25831c2`, 'isced-f.xsd', withCodes('isced-f.xsd', (_l, uri) => lastSegment(uri)));

// Credential profiles: the old XSD lacks the 3.x "Accredited" concept; c_ae121a00 is the code
// EDC 2.1 test data uses for it (see README: not confirmed against the live list).
const profiles = withCodes('europass-credential-types.xsd', (label) => slug(label));
profiles.push({ code: 'accredited', uri: `${SNB}/credential/c_ae121a00`, label: 'Accredited', note: 'from EDC 2.1 accredited test credential; not in the archived XSD' });
add('credential-profile', `${SNB}/credential/25831c2`, 'europass-credential-types.xsd (+ accredited)', profiles);

// Supervision and identity verification: no list was published with ELM 3.1. One concept is
// used by the official Annex I sample; one appears in third-party data. The supervised ones
// have no known EU concept: the builder emits them as local concepts (see README).
add('supervision', `${SNB}/supervision-verification/25831c2`, 'Sample-MC-Annex1 (official) and third-party data', [
  { code: 'unsupervised-no-id', uri: `${SNB}/supervision-verification/c598449d64`, label: 'Unsupervised without ID Verification' },
  { code: 'unsupervised-with-id', uri: `${SNB}/supervision-verification/df2880c5cb`, label: 'Unsupervised with ID verification', note: 'code seen in third-party data only' },
  { code: 'supervised-no-id', uri: 'urn:microcred:supervision-verification:supervised-no-id', label: 'Supervised without ID verification', note: 'no EU concept known; local concept' },
  { code: 'supervised-with-id', uri: 'urn:microcred:supervision-verification:supervised-with-id', label: 'Supervised with ID verification', note: 'no EU concept known; local concept' },
]);

// Countries: the EU authority table (alpha-3) from country.xsd; alpha-2 aliases from ISO 3166.
const countryConcepts = readXsd('country.xsd').map(({ uri, label }) => {
  const alpha3 = lastSegment(uri);
  const alpha2 = countries.alpha3ToAlpha2(alpha3);
  return alpha2 ? { code: alpha3, uri, label, aliases: [alpha2] } : { code: alpha3, uri, label };
});
add('country', `${AUTH}/country`, 'country.xsd + ISO 3166-1 (i18n-iso-countries)', countryConcepts);

// Languages: ISO 639-1 -> EU authority code (ISO 639-2/T, upper case; the EU table uses /T).
const languages: Concept[] = iso6392
  .filter((l) => l.iso6391)
  .map((l) => ({ code: l.iso6391!, uri: `${AUTH}/language/${(l.iso6392T ?? l.iso6392B).toUpperCase()}`, label: l.name.split(';')[0]!.trim() }));
add('language', `${AUTH}/language`, 'ISO 639-1/639-2T (iso-639-2 package)', languages);

mkdirSync(outDir, { recursive: true });
for (const v of vocabularies) {
  writeFileSync(join(outDir, `elm.${v.name}.json`), JSON.stringify(v, null, 1) + '\n');
}
console.log(vocabularies.map((v) => `${v.name}: ${v.concepts.length}`).join('\n'));

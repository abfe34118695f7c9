/**
 * DisplayParameter for EDC: EDC-generic-no-cv makes `individualDisplay` (1..*) with a
 * DisplayDetail carrying an image (1..1) and page mandatory. The official samples embed a
 * rendered JPEG of the credential; we render a small SVG summary card per language instead.
 */
import type { ConceptNode } from './vocabularies.js';
import type { IdMinter } from './build-parts.js';
import type { LangMap } from './lang.js';
import { pickText } from './lang.js';

const BASE64: ConceptNode = {
  id: 'http://data.europa.eu/snb/encoding/6146cde7dd', type: 'Concept',
  inScheme: { id: 'http://data.europa.eu/snb/encoding/25831c2', type: 'ConceptScheme' }, prefLabel: { en: 'base64' },
};
const SVG: ConceptNode = {
  id: 'http://publications.europa.eu/resource/authority/file-type/SVG', type: 'Concept',
  inScheme: { id: 'http://publications.europa.eu/resource/authority/file-type', type: 'ConceptScheme' }, prefLabel: { en: 'SVG' },
};

/** What the summary card shows. */
export interface CardFacts {
  title: LangMap;
  learner: string;
  issuer: string;
  issued: string;
  lines: string[];
}

const escapeXml = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Cuts long text so it fits the card without a text-layout engine. */
const fit = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Renders the SVG summary card for one language. */
export function renderCardSvg(facts: CardFacts, lang: string): string {
  const title = pickText(facts.title, lang) ?? '';
  const rows = [
    `<text x="40" y="70" font-size="16" fill="#cfe0ff">MICRO-CREDENTIAL</text>`,
    `<text x="40" y="115" font-size="30" font-weight="bold" fill="#ffffff">${escapeXml(fit(title, 48))}</text>`,
    `<text x="40" y="190" font-size="22" fill="#1b2a4a">${escapeXml(fit(facts.learner, 60))}</text>`,
    `<text x="40" y="225" font-size="16" fill="#44546a">${escapeXml(fit(facts.issuer, 80))} · ${escapeXml(facts.issued.slice(0, 10))}</text>`,
    ...facts.lines.slice(0, 4).map((l, i) => `<text x="40" y="${275 + i * 28}" font-size="16" fill="#1b2a4a">${escapeXml(fit(l, 90))}</text>`),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="420" viewBox="0 0 800 420" font-family="Arial, Helvetica, sans-serif">`
    + `<rect width="800" height="420" fill="#f7f9fc"/><rect width="800" height="140" fill="#003399"/>`
    + rows.join('') + `</svg>`;
}

/** Builds the DisplayParameter with one IndividualDisplay (page 1 image) per language. */
export function displayParameterNode(
  mint: IdMinter, facts: CardFacts, languages: { code: string; node: ConceptNode }[],
): Record<string, unknown> {
  const primary = languages[0]!;
  return {
    id: mint('displayParameter'),
    type: 'DisplayParameter',
    title: { ...facts.title },
    language: languages.map((l) => l.node),
    primaryLanguage: primary.node,
    individualDisplay: languages.map((l) => ({
      id: mint('individualDisplay'),
      type: 'IndividualDisplay',
      language: l.node,
      displayDetail: [{
        id: mint('displayDetail'),
        type: 'DisplayDetail',
        page: 1,
        image: {
          id: mint('mediaObject'), type: 'MediaObject',
          content: Buffer.from(renderCardSvg(facts, l.code), 'utf8').toString('base64'),
          contentEncoding: BASE64, contentType: SVG,
        },
      }],
    })),
  };
}

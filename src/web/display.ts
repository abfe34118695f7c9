/** What the page shows about each credential: the ELM summary in every language it carries, the Annex I elements, or a generic view. */
import { annexIReport, isElmCredential, iso639_1Of, summarize, type AnnexIReport, type CredentialSummary } from '../elm/index.js';

/** Display data of one credential. */
export interface CredentialDisplay {
  elm: boolean;
  /** Credential languages as ISO 639-1 codes, primary first; at least one. */
  languages: string[];
  /** The ELM summary per language (ELM credentials only). */
  summaries?: Record<string, CredentialSummary>;
  annexI?: AnnexIReport;
  /** Any credential: types, issuer name and the subject's claims flattened to label/value pairs. */
  generic: { types: string[]; issuerName?: string; claims: Array<{ label: string; value: string }> };
}

const MAX_CLAIMS = 60;
const MAX_VALUE = 500;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typesOf(doc: Record<string, unknown>): string[] {
  const t = doc.type ?? doc['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

function issuerName(doc: Record<string, unknown>): string | undefined {
  const iss = doc.issuer;
  if (!isObj(iss)) return undefined;
  for (const k of ['name', 'legalName']) {
    const v = iss[k];
    if (typeof v === 'string') return v;
    if (isObj(v)) {
      const first = v.en ?? Object.values(v)[0];
      if (typeof first === 'string') return first;
    }
  }
  return undefined;
}

// Flatten the subject's claims to "a › b: value" pairs, bounded so a hostile file cannot blow the page up.
function flatten(v: unknown, label: string, out: Array<{ label: string; value: string }>, depth: number): void {
  if (out.length >= MAX_CLAIMS) return;
  if (v === null || v === undefined) return;
  if (typeof v !== 'object') {
    out.push({ label, value: String(v).slice(0, MAX_VALUE) });
    return;
  }
  if (depth > 3) {
    out.push({ label, value: JSON.stringify(v).slice(0, MAX_VALUE) });
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => flatten(x, v.length > 1 ? `${label} ${i + 1}` : label, out, depth + 1));
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k === '@context') continue;
    flatten(x, label ? `${label} › ${k}` : k, out, depth + 1);
  }
}

function elmLanguages(doc: Record<string, unknown>): { primary?: string; all: string[] } {
  const dp = Array.isArray(doc.displayParameter) ? doc.displayParameter[0] : doc.displayParameter;
  if (!isObj(dp)) return { all: [] };
  const idOf = (x: unknown): string | undefined => (typeof x === 'string' ? x : isObj(x) && typeof x.id === 'string' ? x.id : undefined);
  const code = (x: unknown): string | undefined => {
    const id = idOf(x);
    return id ? iso639_1Of(id.split('/').pop() ?? '') : undefined;
  };
  const list = (Array.isArray(dp.language) ? dp.language : [dp.language]).map(code).filter((c): c is string => !!c);
  return { primary: code(dp.primaryLanguage), all: list };
}

/** Build the display data of one decoded credential document (never throws on odd input). */
export function displayOf(doc: Record<string, unknown>): CredentialDisplay {
  const claims: Array<{ label: string; value: string }> = [];
  const subjects = Array.isArray(doc.credentialSubject) ? doc.credentialSubject : [doc.credentialSubject];
  subjects.forEach((s, i) => flatten(s, subjects.length > 1 ? `Subject ${i + 1}` : '', claims, 0));
  const generic = { types: typesOf(doc), claims, ...(issuerName(doc) ? { issuerName: issuerName(doc)! } : {}) };
  if (!isElmCredential(doc)) return { elm: false, languages: ['en'], generic };

  const { primary, all } = elmLanguages(doc);
  const languages = [...new Set([primary, ...all].filter((c): c is string => !!c))];
  if (languages.length === 0) languages.push('en');
  const summaries: Record<string, CredentialSummary> = {};
  for (const lang of languages) summaries[lang] = summarize(doc, { lang });
  const first = summaries[languages[0]!];
  if (first?.issuer.name) generic.issuerName = first.issuer.name;
  return { elm: true, languages, summaries, annexI: annexIReport(doc), generic };
}

import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { BadRequestError } from '../errors.js';

/** Deepest object/array nesting accepted in a JSON body; real credentials stay far below it. */
export const MAX_JSON_DEPTH = 64;

/**
 * Parse JSON refusing __proto__/constructor.prototype keys, excessive nesting, and values the
 * parsed body would not faithfully give back: text that is not Unicode, numbers a double cannot hold.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('MALFORMED_JSON', 'The JSON body is empty.');
  const { inexactCandidates } = scanStructure(text);
  let value: unknown;
  try {
    value = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/prototype|__proto__|constructor/i.test(msg)) {
      throw new BadRequestError('FORBIDDEN_PROPERTY', 'The body contains a "__proto__" or "constructor.prototype" key, which is refused.');
    }
    throw new BadRequestError('MALFORMED_JSON', `The body is not valid JSON: ${msg}`);
  }
  // Both are RFC 7493 (I-JSON) rules, and both matter for signing: a credential signed over such a
  // value is stored and returned as something else. A number like 1e999 parses to Infinity (stored
  // as null), 12345678901234567890 to …567000. JSON may escape half of a surrogate pair (\ud800)
  // alone, which UTF-8 cannot encode; only bodies with such an escape are walked for one.
  for (const token of inexactCandidates) {
    if (!sameDecimal(token, JSON.stringify(Number(token)))) {
      throw new BadRequestError('NUMBER_NOT_REPRESENTABLE', `The number ${token.length > 40 ? `${token.slice(0, 40)}…` : token} cannot be held exactly by a 64-bit float (RFC 7493 §2.2); send it as a string.`);
    }
  }
  if (SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(value)) {
    throw new BadRequestError('INVALID_TEXT', 'The body contains an unpaired UTF-16 surrogate (\\uD800–\\uDFFF); text must be Unicode.');
  }
  return value;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
// With the u flag a pair is one code point, so only an unpaired half is a surrogate (Cs).
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether a string or key of a parsed JSON value holds an unpaired surrogate. */
function hasLoneSurrogate(v: unknown): boolean {
  if (typeof v === 'string') return LONE_SURROGATE.test(v);
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.some(hasLoneSurrogate);
  return Object.entries(v).some(([k, x]) => LONE_SURROGATE.test(k) || hasLoneSurrogate(x));
}

const NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Whether two JSON number texts denote the same decimal value (1.50 = 1.5 = 15e-1). */
function sameDecimal(a: string, b: string): boolean {
  const norm = (t: string): string => {
    const m = NUMBER.exec(t);
    if (!m) return t; // "null": what JSON.stringify gives a non-finite number
    let digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+/, '');
    let exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
    if (digits === '') return '0';
    // Counted, not matched: /0+$/ backtracks quadratically over a long run of zeros.
    let end = digits.length;
    while (digits.charCodeAt(end - 1) === 48) end--;
    exp += digits.length - end;
    digits = digits.slice(0, end);
    return `${m[1]}${digits}e${exp}`;
  };
  return norm(a) === norm(b);
}

// A number token this long, or with an exponent, may not survive JSON.parse: a double holds
// 15–17 significant digits and magnitudes up to ~1.8e308.
const EXACT_CHARS = 16;

/**
 * Scan before parsing, so a deeply nested body cannot exhaust the stack of later recursive code,
 * and collect the number tokens (outside strings) a double may not hold exactly. String contents
 * (most of a credential) are skipped with indexOf rather than char by char.
 */
function scanStructure(text: string): { inexactCandidates: string[] } {
  const inexactCandidates: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 45 || (c >= 48 && c <= 57)) {
      // A number token: up to the next delimiter. JSON.parse reports any malformed one.
      let end = i + 1;
      let exponent = false;
      for (; end < text.length; end++) {
        const d = text.charCodeAt(end);
        if (d === 101 || d === 69) exponent = true;
        else if (!(d === 43 || d === 45 || d === 46 || (d >= 48 && d <= 57))) break;
      }
      if (exponent || end - i >= EXACT_CHARS) inexactCandidates.push(text.slice(i, end));
      i = end - 1;
    } else if (c === 34) {
      // Find the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q === -1) return { inexactCandidates }; // unterminated: JSON.parse reports it
        let backslashes = 0;
        while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
        i = q;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new BadRequestError('JSON_TOO_DEEP', `The body nests objects/arrays deeper than ${MAX_JSON_DEPTH} levels.`);
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return { inexactCandidates };
}

// Byte length of each parsed body, by the body object: lets a handler tell a consumer that a
// value taken from the body is at most that large and at most MAX_JSON_DEPTH deep.
const bodyBytes = new WeakMap<object, number>();

/** Size in bytes of the JSON text `body` was parsed from by this parser, if it was. */
export function parsedBodyBytes(body: unknown): number | undefined {
  return typeof body === 'object' && body !== null ? bodyBytes.get(body) : undefined;
}

/** Register the JSON parser for application/json and application/ld+json. */
export function installJsonParser(app: FastifyInstance): void {
  // Only JSON bodies are accepted; anything else is a 415, not a string handed to a handler.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'application/ld+json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      const parsed = parseJsonBody(body as string);
      if (typeof parsed === 'object' && parsed !== null) bodyBytes.set(parsed, Buffer.byteLength(body as string));
      done(null, parsed);
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

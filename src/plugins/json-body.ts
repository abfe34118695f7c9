import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { BadRequestError } from '../errors.js';

/** Deepest object/array nesting accepted in a JSON body; real credentials stay far below it. */
export const MAX_JSON_DEPTH = 64;

/**
 * Parse JSON refusing __proto__/constructor.prototype keys, excessive nesting, and values that
 * would not survive being parsed: text that is not Unicode and numbers beyond a double.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('MALFORMED_JSON', 'The JSON body is empty.');
  const { largeNumbers } = scanStructure(text);
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
  // Both are RFC 7493 (I-JSON) rules, and both break a signature: a credential signed over such a
  // value is stored and returned as something else. JSON may escape half of a surrogate pair
  // (\ud800) alone, which UTF-8 cannot encode; a number like 1e999 parses to Infinity, which
  // serialises as null. Only bodies whose text can hold one are walked.
  const surrogates = SURROGATE_ESCAPE.test(text);
  if (surrogates || largeNumbers) {
    const found = unrepresentable(value, surrogates, largeNumbers);
    if (found === 'text') throw new BadRequestError('INVALID_TEXT', 'The body contains an unpaired UTF-16 surrogate (\\uD800–\\uDFFF); text must be Unicode.');
    if (found === 'number') throw new BadRequestError('NUMBER_OUT_OF_RANGE', 'The body contains a number beyond the range of a 64-bit float (RFC 7493 §2.2).');
  }
  return value;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
// With the u flag a pair is one code point, so only an unpaired half is a surrogate (Cs).
const LONE_SURROGATE = /\p{Cs}/u;

/** The first kind of value in a parsed body that its JSON text does not faithfully give back. */
function unrepresentable(v: unknown, surrogates: boolean, numbers: boolean): 'text' | 'number' | undefined {
  if (typeof v === 'string') return surrogates && LONE_SURROGATE.test(v) ? 'text' : undefined;
  if (typeof v === 'number') return numbers && !Number.isFinite(v) ? 'number' : undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
    if (surrogates && typeof k === 'string' && LONE_SURROGATE.test(k)) return 'text';
    const found = unrepresentable(x, surrogates, numbers);
    if (found) return found;
  }
  return undefined;
}

// Digits a number needs before it can exceed a double's range (~1.8e308) without an exponent.
const OVERFLOW_DIGITS = 309;

/**
 * Scan before parsing, so a deeply nested body cannot exhaust the stack of later recursive code,
 * and note whether a number outside strings has an exponent or 309+ digits (it may overflow).
 * String contents (most of a credential) are skipped with indexOf rather than char by char.
 */
function scanStructure(text: string): { largeNumbers: boolean } {
  let depth = 0;
  let digits = 0;
  let largeNumbers = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits >= OVERFLOW_DIGITS) largeNumbers = true;
      continue;
    }
    // Outside strings a letter after a digit can only be an exponent.
    if ((c === 101 || c === 69) && digits > 0) largeNumbers = true;
    digits = 0;
    if (c === 34) {
      // Find the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q === -1) return { largeNumbers }; // unterminated: JSON.parse reports it
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
  return { largeNumbers };
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

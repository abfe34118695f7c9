import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { BadRequestError } from '../errors.js';

/** Deepest object/array nesting accepted in a JSON body; real credentials stay far below it. */
export const MAX_JSON_DEPTH = 64;

/** Parse JSON refusing __proto__/constructor.prototype keys, excessive nesting and text that is not Unicode. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('MALFORMED_JSON', 'The JSON body is empty.');
  checkDepth(text);
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
  // JSON may escape half of a surrogate pair (\ud800) alone; such a string is no Unicode text: it
  // cannot be canonicalized, encoded as UTF-8 or stored (RFC 7493 forbids it). Decoded UTF-8
  // cannot hold one, so only bodies with such an escape are walked.
  if (SURROGATE_ESCAPE.test(text) && !wellFormed(value)) {
    throw new BadRequestError('INVALID_TEXT', 'The body contains an unpaired UTF-16 surrogate (\\uD800–\\uDFFF); text must be Unicode.');
  }
  return value;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
// With the u flag a pair is one code point, so only an unpaired half is a surrogate (Cs).
const LONE_SURROGATE = /\p{Cs}/u;

/** Every string and key of a parsed JSON value is well-formed UTF-16 (no lone surrogate). */
function wellFormed(v: unknown): boolean {
  if (typeof v === 'string') return !LONE_SURROGATE.test(v);
  if (Array.isArray(v)) return v.every(wellFormed);
  if (typeof v === 'object' && v !== null) return Object.entries(v).every(([k, x]) => !LONE_SURROGATE.test(k) && wellFormed(x));
  return true;
}

// Scan before parsing so a deeply nested body cannot exhaust the stack of later recursive code.
// String contents (most of a credential) are skipped with indexOf rather than char by char.
function checkDepth(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Find the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q === -1) return; // unterminated: JSON.parse reports it
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

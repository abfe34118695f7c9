import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { BadRequestError } from '../errors.js';

/** Deepest object/array nesting accepted in a JSON body; real credentials stay far below it. */
export const MAX_JSON_DEPTH = 64;

/** Parse JSON refusing __proto__/constructor.prototype keys and excessive nesting. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('MALFORMED_JSON', 'The JSON body is empty.');
  checkDepth(text);
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/prototype|__proto__|constructor/i.test(msg)) {
      throw new BadRequestError('FORBIDDEN_PROPERTY', 'The body contains a "__proto__" or "constructor.prototype" key, which is refused.');
    }
    throw new BadRequestError('MALFORMED_JSON', `The body is not valid JSON: ${msg}`);
  }
}

// Scan before parsing so a deeply nested body cannot exhaust the stack of later recursive code.
function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped char
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new BadRequestError('JSON_TOO_DEEP', `The body nests objects/arrays deeper than ${MAX_JSON_DEPTH} levels.`);
      }
    } else if (c === 125 || c === 93) depth--;
  }
}

/** Register the JSON parser for application/json and application/ld+json. */
export function installJsonParser(app: FastifyInstance): void {
  // Only JSON bodies are accepted; anything else is a 415, not a string handed to a handler.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'application/ld+json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

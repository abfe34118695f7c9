import sjson from 'secure-json-parse';
import { AppError } from '../errors.js';
import { assertWithinLimits, type ResourceLimits } from './limits.js';
import { JOSE_MEDIA_TYPE, joseMediaType } from './jose-policy.js';
import type { VerificationSubject } from './types.js';

/** The input cannot be read as any supported credential/presentation form; code PARSING_ERROR. */
export class ParsingError extends AppError {
  constructor(message: string, detail?: Record<string, unknown>) {
    super('PARSING_ERROR', message, 400, detail);
  }
}

// The signature may be empty (alg "none"), so the header policy, not the parser, rejects it.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ENVELOPE_PREFIX: Record<string, 'vc+jwt' | 'vp+jwt'> = {
  'data:application/vc+jwt,': 'vc+jwt',
  'data:application/vp+jwt,': 'vp+jwt',
};

function typesOf(doc: Record<string, unknown>): string[] {
  const t = doc.type;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : typeof t === 'string' ? [t] : [];
}

/**
 * JSON text as the HTTP body parser reads it: a `__proto__` or `constructor.prototype` key is
 * refused, because JSON-LD processors copy their input, and a copy turns such a key into a
 * prototype, so the signed bytes and the meaning processed would part. Undefined when not JSON.
 */
function parseJsonText(text: string, what: string): unknown {
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    // secure-json-parse reports both as SyntaxError; only its own refusals name a prototype.
    if (!/forbidden (prototype|constructor) property/i.test((err as Error).message)) return undefined;
    throw new ParsingError(`${what} contains a "__proto__" or "constructor.prototype" key, which is refused.`);
  }
}

function decodeSegment(seg: string, what: string): Record<string, unknown> {
  const v = parseJsonText(Buffer.from(seg, 'base64url').toString('utf8'), `JWS ${what}`);
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new ParsingError(`JWS ${what} is not a base64url-encoded JSON object.`);
}

function parseCompact(compact: string, limits: ResourceLimits): VerificationSubject {
  if (!COMPACT_JWS.test(compact)) throw new ParsingError('Not a compact JWS (header.payload.signature).');
  const [h, p] = compact.split('.') as [string, string, string];
  const header = decodeSegment(h, 'protected header');
  const document = decodeSegment(p, 'payload');
  assertWithinLimits(document, limits);
  // `typ` decides when it names one of the two media types; otherwise the payload's type does
  // (and the proof check judges the typ).
  const typ = joseMediaType(header.typ);
  const kind = typ === JOSE_MEDIA_TYPE.presentation || (typ !== JOSE_MEDIA_TYPE.credential && typesOf(document).includes('VerifiablePresentation')) ? 'presentation' : 'credential';
  return { kind, format: kind === 'presentation' ? 'vp+jwt' : 'vc+jwt', document, jws: { compact, header } };
}

/** What the caller already knows of an object input (a request body it parsed and hands over). */
export interface InputFacts {
  /** The input came from JSON text of at most this many bytes, nested at most `maxDepth` deep. */
  bounds?: { bytes: number; maxDepth: number };
  /** The caller hands the object over and never reads it again: no defensive copy is made. */
  owned?: boolean;
}

/**
 * Classify and decode a verifier input: Data Integrity JSON-LD (object or JSON text), compact
 * `vc+jwt`/`vp+jwt`, or an Enveloped credential/presentation with a data: URL. Never mutates `input`.
 */
export function parseInput(input: unknown, limits: ResourceLimits, facts: InputFacts = {}): VerificationSubject {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input) > limits.maxBytes) assertWithinLimits(null, limits, Buffer.byteLength(input));
    const s = input.trim();
    for (const [prefix] of Object.entries(ENVELOPE_PREFIX)) {
      if (s.startsWith(prefix)) return parseCompact(s.slice(prefix.length), limits);
    }
    if (s.startsWith('{')) {
      const parsed = parseJsonText(s, 'Input');
      if (parsed === undefined) throw new ParsingError('Input is not valid JSON.');
      return parseInput(parsed, limits);
    }
    return parseCompact(s, limits);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ParsingError('Input must be a JSON object or a compact JWS string.');
  }
  // Re-serialising a ~100 KB credential to measure it is skipped when its source text was measured.
  const b = facts.bounds;
  if (!b || b.bytes > limits.maxBytes || b.maxDepth > limits.maxDepth) assertWithinLimits(input, limits);
  const doc = (facts.owned ? input : structuredClone(input)) as Record<string, unknown>;
  if ('signatures' in doc || ('protected' in doc && 'payload' in doc)) {
    throw new ParsingError('JWS JSON serialization is not accepted; use the compact serialization.');
  }
  const types = typesOf(doc);
  if (types.includes('EnvelopedVerifiableCredential') || types.includes('EnvelopedVerifiablePresentation')) {
    const id = typeof doc.id === 'string' ? doc.id : '';
    const expected = types.includes('EnvelopedVerifiableCredential') ? 'data:application/vc+jwt,' : 'data:application/vp+jwt,';
    if (!id.startsWith(expected)) throw new ParsingError(`Enveloped object id must be a ${expected}<jws> URL.`);
    return parseCompact(id.slice(expected.length), limits);
  }
  const kind = types.includes('VerifiablePresentation') ? 'presentation' : 'credential';
  return { kind, format: kind === 'presentation' ? 'ldp_vp' : 'ldp_vc', document: doc };
}

import { _checkCredential } from '@digitalbazaar/vc';
import { BadRequestError } from '../errors.js';
import type { Credential, DataModelVersion, PrepareOptions } from './types.js';
import { isXsdDateTime } from '../xsd.js';

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// xsd:dateTime with a mandatory time zone, as the VC data models require.

/** Longest credential id accepted (and routed: see MAX_PARAM_LENGTH). */
const MAX_ID_LENGTH = 2000;

const malformed = (message: string, detail?: Record<string, unknown>) => new BadRequestError('MALFORMED_CREDENTIAL', message, detail);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Data model version from `@context[0]`: VC v1 → 1.1, VC v2 → 2.0, else UNSUPPORTED_CONTEXT. */
export function detectDataModelVersion(credential: Credential): DataModelVersion {
  const ctx = credential['@context'];
  const first = Array.isArray(ctx) ? ctx[0] : ctx;
  if (first === VC_V1) return '1.1';
  if (first === VC_V2) return '2.0';
  throw new BadRequestError('UNSUPPORTED_CONTEXT', `The first @context must be "${VC_V2}" or "${VC_V1}".`, { context: typeof first === 'string' ? first : null });
}

/** The issuer id of a credential (`issuer` as a string or an object's `id`), if any. */
export function issuerIdOf(credential: Credential): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (isObject(issuer) && typeof issuer.id === 'string') return issuer.id;
  return undefined;
}

/** Second-precision UTC timestamp (what the VC examples and most verifiers expect). */
export function xsdDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function checkShape(c: Credential): void {
  const types = Array.isArray(c.type) ? c.type : [c.type];
  if (!types.includes('VerifiableCredential')) throw malformed('"type" must include "VerifiableCredential".');
  if (types.some((t) => typeof t !== 'string')) throw malformed('"type" must be a string or an array of strings.');
  const subjects = Array.isArray(c.credentialSubject) ? c.credentialSubject : [c.credentialSubject];
  if (subjects.length === 0 || !subjects.every((s) => isObject(s) && Object.keys(s).length > 0)) {
    throw malformed('"credentialSubject" must be a non-empty object (or an array of them).');
  }
  if ('proof' in c) throw malformed('The credential to issue must not carry a "proof"; it is added by signing.');
  if ('id' in c && (typeof c.id !== 'string' || !/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(c.id))) {
    throw malformed('"id", when given, must be a URL.');
  }
  // What GET /credentials/{id} accepts, so every credential issued can be read back.
  if (typeof c.id === 'string' && c.id.length > MAX_ID_LENGTH) throw malformed(`"id" must be at most ${MAX_ID_LENGTH} characters.`);
  if ('issuer' in c && issuerIdOf(c) === undefined) throw malformed('"issuer" must be a URL or an object with an "id".');
  for (const prop of ['validFrom', 'validUntil', 'issuanceDate', 'expirationDate']) {
    // The verifier's own rule: a date it cannot place in time (30 February, a leap second) would
    // make a credential that never verifies.
    if (prop in c && !isXsdDateTime(c[prop])) {
      throw malformed(`"${prop}" must be an XML Schema dateTime with a time zone.`, { property: prop });
    }
  }
}

// The validity periods of the two data models: [start, end] property pairs.
const VALIDITY_PERIODS = [['validFrom', 'validUntil'], ['issuanceDate', 'expirationDate']] as const;

/**
 * VC DM 2.0 §4.9: validFrom MUST NOT be later than validUntil (VC 1.1 has the same order for
 * issuanceDate/expirationDate). Checked on the completed credential, so a filled-in issuance
 * date counts too: such a credential would fail every verification whatever the clock says.
 */
function checkValidityPeriods(c: Credential): void {
  for (const [start, end] of VALIDITY_PERIODS) {
    if (typeof c[start] !== 'string' || typeof c[end] !== 'string') continue;
    // Both are dateTimes with a time zone (checkShape), so the instants compare across zones.
    if (Date.parse(c[start] as string) > Date.parse(c[end] as string)) {
      throw new BadRequestError('INVALID_VALIDITY_PERIOD', `"${start}" must not be later than "${end}".`, { [start]: c[start], [end]: c[end] });
    }
  }
}

/**
 * Copy `input` and complete it for issuing: `issuer` (must equal issuerDid when present,
 * else ISSUER_MISMATCH), `id` (urn:uuid), `validFrom` (VC 2.0) or `issuanceDate` (VC 1.1);
 * a validity period that ends before it starts is INVALID_VALIDITY_PERIOD.
 * The input is never mutated. The copy is shallow: only top-level properties are ever written
 * (here, by status enrichment and by signing), and a deep copy of a ~100 KB credential would
 * be the costliest step of preparing it.
 */
export function prepareCredential(input: unknown, opts: PrepareOptions): { credential: Credential; version: DataModelVersion } {
  if (!isObject(input)) throw malformed('A credential must be a JSON object.');
  if (!('@context' in input)) throw malformed('The credential has no "@context".');
  const version = detectDataModelVersion(input);
  const c: Credential = { ...input };
  checkShape(c);
  const issuerId = issuerIdOf(c);
  if (issuerId === undefined) c.issuer = opts.issuerDid;
  else if (issuerId !== opts.issuerDid) {
    throw new BadRequestError('ISSUER_MISMATCH', `The credential's issuer must be ${opts.issuerDid}.`, { expected: opts.issuerDid, actual: issuerId });
  }
  if (c.id === undefined) {
    const uuid = opts.newId();
    if (!UUID.test(uuid)) throw new TypeError('newId() must return a UUID.');
    c.id = `urn:uuid:${uuid.toLowerCase()}`;
  }
  const dateProp = version === '2.0' ? 'validFrom' : 'issuanceDate';
  if (c[dateProp] === undefined) c[dateProp] = xsdDateTime(opts.now());
  checkValidityPeriods(c);
  // The checks @digitalbazaar/vc's issue() runs before signing (subject, evidence and status ids
  // are URLs, typed objects where a type is due…), run here for every mechanism: what the
  // library would refuse is the client's input, answered before a status index is reserved.
  try {
    _checkCredential({ credential: c, mode: 'issue', now: opts.now() });
  } catch (err) {
    throw new BadRequestError('MALFORMED_CREDENTIAL', err instanceof Error ? err.message : String(err), undefined, { cause: err });
  }
  return { credential: c, version };
}

/**
 * The ELM application-profile members of the classes an embedded accreditation can hold (as the
 * EBSI EDC JSON Schema closes them), and a filter that keeps only those. Registry records carry
 * more: publication bookkeeping (`elm:status`, `dc:modified`), the register's `publisher`,
 * secondary RDF types (`foaf:Agent`, `adms:Identifier`) and identifiers written the ADMS way.
 * SHACL is open and accepts them; consumers that validate EDC credentials with the JSON Schema
 * refuse the whole credential. The registry keeps the full record; the credential needs only what
 * it asserts about the accreditation.
 */
import { isNode, typesOf, type Node } from './elm-read.js';

/** A member's range: the ELM class of its node values, or null for a literal. */
type Members = Readonly<Record<string, string | null>>;

const literals = (...names: string[]): Record<string, null> => Object.fromEntries(names.map((n) => [n, null]));
const IDENTIFIER: Members = {
  ...literals('notation', 'schemeAgency', 'creator', 'dateIssued', 'schemeName', 'schemeVersion', 'schemeId'), dcType: 'Concept',
};

// `dateModified` is left out everywhere: edc-ap maps it to an IRI, so a date cannot be stated with it.
// Members whose range is outside this table (persons, groups, learning outcomes and specifications
// of a limiting qualification) are not copied: the registry, not the credential, describes them.
const PROFILE: Readonly<Record<string, Members>> = {
  Accreditation: {
    ...literals('title', 'description', 'dateIssued', 'reviewDate', 'expiryDate', 'status'),
    dcType: 'Concept', identifier: 'Identifier', homepage: 'WebResource', additionalNote: 'Note', supplementaryDocument: 'WebResource',
    decision: 'Concept', report: 'WebResource', organisation: 'Organisation', limitQualification: 'Qualification', limitField: 'Concept',
    limitEQFLevel: 'Concept', limitJurisdiction: 'Concept', limitCredentialType: 'Concept', accreditingAgent: 'Organisation', landingPage: 'WebResource',
  },
  Organisation: {
    ...literals('legalName', 'altLabel'),
    dcType: 'Concept', identifier: 'Identifier', homepage: 'WebResource', additionalNote: 'Note', location: 'Location', accreditation: 'Accreditation',
    eIDASIdentifier: 'LegalIdentifier', registration: 'LegalIdentifier', vatIdentifier: 'LegalIdentifier', taxIdentifier: 'LegalIdentifier',
    logo: 'MediaObject', hasSubOrganization: 'Organisation', subOrganizationOf: 'Organisation', contactPoint: 'ContactPoint',
  },
  Identifier: IDENTIFIER,
  LegalIdentifier: { ...IDENTIFIER, spatial: 'Concept' },
  Location: { ...literals('description'), identifier: 'Identifier', address: 'Address', spatialCode: 'Concept', geometry: 'Geometry' },
  Address: { identifier: 'Identifier', fullAddress: 'Note', countryCode: 'Concept' },
  Geometry: literals('longitude', 'latitude'),
  Concept: { ...literals('prefLabel', 'notation', 'definition'), inScheme: 'ConceptScheme' },
  ConceptScheme: {},
  WebResource: { ...literals('title', 'contentURL'), language: 'Concept' },
  Note: { ...literals('noteLiteral'), subject: 'Concept', noteFormat: 'Concept' },
  MediaObject: {
    ...literals('title', 'description', 'contentSize', 'content', 'contentURL'), contentType: 'Concept', attachmentType: 'Concept', contentEncoding: 'Concept',
  },
  ContactPoint: { ...literals('description'), additionalNote: 'Note', address: 'Address', phone: 'Phone', emailAddress: 'Mailbox', contactForm: 'WebResource' },
  Phone: literals('phoneNumber', 'countryDialing', 'areaDialing', 'dialNumber'),
  Mailbox: {},
  CreditPoint: { ...literals('point'), framework: 'Concept' },
  Qualification: {
    ...literals('title', 'description', 'altLabel', 'category', 'volumeOfLearning', 'maximumDuration', 'isPartialQualification', 'status'),
    dcType: 'Concept', identifier: 'Identifier', additionalNote: 'Note', supplementaryDocument: 'WebResource', homepage: 'WebResource',
    language: 'Concept', mode: 'Concept', learningOutcomeSummary: 'Note', thematicArea: 'Concept', educationSubject: 'Concept',
    creditPoint: 'CreditPoint', educationLevel: 'Concept', learningSetting: 'Concept', targetGroup: 'Concept', entryRequirement: 'Note',
    hasPart: 'Qualification', isPartOf: 'Qualification', specialisationOf: 'Qualification', generalisationOf: 'Qualification',
    eqfLevel: 'Concept', nqfLevel: 'Concept', accreditation: 'Accreditation', qualificationCode: 'Concept',
  },
};

/** Classes a node may have where the range names another (a LegalIdentifier is an Identifier). */
const ACCEPTS: Readonly<Record<string, readonly string[]>> = { Identifier: ['Identifier', 'LegalIdentifier'] };
const ELM_NS = 'http://data.europa.eu/snb/model/elm/';
const SKOS_NS = 'http://www.w3.org/2004/02/skos/core#';
const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:[^\s]+$/i;

/** The profile class a type string names (`Organisation`, `elm:Organisation`, the full IRI), if any. */
function classNamed(type: string): string | undefined {
  const local = type.startsWith(ELM_NS) ? type.slice(ELM_NS.length)
    : type.startsWith(SKOS_NS) ? type.slice(SKOS_NS.length)
      : /^(elm|skos):/.test(type) ? type.slice(type.indexOf(':') + 1) : type;
  return Object.hasOwn(PROFILE, local) ? local : undefined;
}

/**
 * The class a node is read as under a member of the given range: its own ELM type when the range
 * accepts it, the range when it states only types from other vocabularies (or none), and
 * undefined when it is typed as an ELM class the range does not accept.
 */
function classOf(node: Node, range: string): string | undefined {
  const types = typesOf(node);
  const accepted = ACCEPTS[range] ?? [range];
  const own = types.map(classNamed).filter((c): c is string => c !== undefined);
  const match = own.find((c) => accepted.includes(c));
  if (match) return match;
  const elmLooking = types.some((t) => !t.includes(':') || t.startsWith(ELM_NS));
  return elmLooking ? undefined : range;
}

/**
 * ADMS states an identifier's scheme as the datatype of its notation; ELM has `schemeId` (a URI)
 * and `schemeName` for that. A non-URI `schemeId` is kept as the scheme's name.
 */
function identifierInElmTerms(node: Node): void {
  const schemeId = node['schemeId'];
  if (typeof schemeId === 'string' && !ABSOLUTE_URI.test(schemeId)) {
    if (node['schemeName'] === undefined) node['schemeName'] = schemeId;
    delete node['schemeId'];
  }
  const notation = node['notation'];
  if (isNode(notation) && typeof notation['@value'] === 'string') {
    const datatype = notation['type'] ?? notation['@type'];
    node['notation'] = notation['@value'];
    if (typeof datatype === 'string' && ABSOLUTE_URI.test(datatype) && node['schemeId'] === undefined) node['schemeId'] = datatype;
  }
}

function profileValue(value: unknown, range: string | null, path: WeakSet<object>): unknown {
  if (range === null) return structuredClone(value);
  if (typeof value === 'string') return value; // a reference to a node described elsewhere
  if (!isNode(value)) return undefined;
  const cls = classOf(value, range);
  if (!cls || path.has(value)) return undefined;
  path.add(value);
  const out = profileNode(value, cls, path);
  path.delete(value);
  return out;
}

function profileNode(node: Node, cls: string, path: WeakSet<object>): Node {
  const members = PROFILE[cls]!;
  const out: Node = {};
  const id = node['id'] ?? node['@id'];
  if (typeof id === 'string') out['id'] = id;
  if (typesOf(node).length > 0) out['type'] = cls;
  for (const [key, value] of Object.entries(node)) {
    if (!Object.hasOwn(members, key)) continue;
    const range = members[key]!;
    if (Array.isArray(value)) {
      const kept = value.map((v) => profileValue(v, range, path)).filter((v) => v !== undefined);
      if (kept.length > 0) out[key] = kept;
    } else {
      const kept = profileValue(value, range, path);
      if (kept !== undefined) out[key] = kept;
    }
  }
  if (cls === 'Identifier' || cls === 'LegalIdentifier') identifierInElmTerms(out);
  return out;
}

/** A fresh copy of an Accreditation node with only ELM application-profile members, types and forms. */
export function accreditationInProfile(node: Node): Node {
  return profileNode(node, 'Accreditation', new WeakSet([node]));
}

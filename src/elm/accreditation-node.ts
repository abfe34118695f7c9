/**
 * Brings a registry accreditation (an ELM `Accreditation` node, e.g. a QDR record framed to
 * ELM with its own local @context) into the credential's context, so it can be embedded.
 * Its own context redefines terms (e.g. `dateModified` as xsd:dateTime, `notation`), so the
 * node is expanded with its context and compacted with ours rather than copied; then only its
 * ELM application-profile members are kept (see accreditation-profile.ts).
 */
import jsonld from 'jsonld';
import { UnprocessableError } from '../errors.js';
import { createDocumentLoader, type DocumentLoader } from '../jsonld/index.js';
import { accreditationInProfile } from './accreditation-profile.js';
import { asArray, isNode, present, typesOf } from './elm-read.js';

/** The credential's @context (VC Data Model 1.1 + ELM edc-ap), the form EDC issues. */
export const ELM_CREDENTIAL_CONTEXT = ['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap'] as const;

let defaultLoader: DocumentLoader | undefined;

/** Returns the accreditation as a node in the credential's compacted form (a fresh copy). */
export async function accreditationForCredential(record: unknown, documentLoader?: DocumentLoader): Promise<Record<string, unknown>> {
  if (!isNode(record) || !typesOf(record).some((t) => t === 'Accreditation' || t.endsWith('/elm/Accreditation'))) {
    throw new UnprocessableError('ACCREDITATION_INVALID', 'The accreditation is not an ELM Accreditation node.');
  }
  // The registry stores nodes already in edc-ap terms, without their @context.
  if (!('@context' in record)) return embeddable(structuredClone(record));
  const loader = documentLoader ?? (defaultLoader ??= createDocumentLoader());
  // QDR records framed with edc-ap alone mix `@type` and `type`; edc-ap does not alias `type`
  // (the VC context does, in the credential where the node ends up), so alias it first.
  const input = structuredClone(record);
  input['@context'] = [{ type: '@type', id: '@id' }, ...asArray(input['@context'])];
  const expanded = await jsonld.expand(input as jsonld.JsonLdDocument, { documentLoader: loader, safe: true, base: null });
  const compacted = await jsonld.compact(expanded, { '@context': [...ELM_CREDENTIAL_CONTEXT] }, { documentLoader: loader, base: null });
  delete compacted['@context'];
  // A lone node compacts to itself; a @graph would mean the record held several top-level nodes.
  if ('@graph' in compacted) throw new UnprocessableError('ACCREDITATION_INVALID', 'The accreditation record holds more than one top-level node.');
  return embeddable(compacted);
}

/** Repairs, then profiles, then checks a node the caller does not share (repairs mutate it). */
function embeddable(node: Record<string, unknown>): Record<string, unknown> {
  return assertEmbeddable(accreditationInProfile(repairRegistrations(node)));
}

/**
 * Refuses records that would make the credential fail the EDC shapes, rather than inventing
 * data: an Accreditation needs dcType, title and accreditingAgent; an accredited qualification
 * (`limitQualification`) needs a title (QDR test records sometimes carry only its id).
 */
function assertEmbeddable(node: Record<string, unknown>): Record<string, unknown> {
  const problems: string[] = [];
  for (const key of ['dcType', 'title', 'accreditingAgent']) if (!present(node[key])) problems.push(`missing ${key}`);
  for (const q of asArray(node['limitQualification'])) if (isNode(q) && !present(q['title'])) problems.push('limitQualification without title');
  if (problems.length > 0) {
    throw new UnprocessableError('ACCREDITATION_INVALID', `The accreditation cannot be embedded in an EDC credential: ${problems.join(', ')}.`, { problems });
  }
  return node;
}

/**
 * ELM wants `registration` to be a LegalIdentifier (notation + country); QDR records put plain
 * Identifiers there (no country). Such an identifier is kept, under `identifier` (adms), where
 * ELM allows a plain Identifier, instead of inventing a country for it.
 */
function repairRegistrations(node: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(node)) {
    for (const child of asArray(value)) if (isNode(child)) repairRegistrations(child);
    if (key !== 'registration') continue;
    const plain = asArray(value).filter((r) => !typesOf(r).includes('LegalIdentifier'));
    if (plain.length === 0) continue;
    const legal = asArray(value).filter((r) => typesOf(r).includes('LegalIdentifier'));
    if (legal.length > 0) node['registration'] = legal; else delete node['registration'];
    node['identifier'] = [...asArray(node['identifier']), ...plain];
  }
  return node;
}

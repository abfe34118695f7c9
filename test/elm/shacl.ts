/**
 * SHACL conformance harness for ELM credentials (reusable by other test suites):
 * JSON-LD -> RDF with jsonld.js in safe mode over the bundled contexts, then
 * rdf-validate-shacl against the official EDC shapes from the shared reference folder.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import jsonld from 'jsonld';
import { Parser, type Quad } from 'n3';
import type { DatasetCore } from '@rdfjs/types';
import datasetFactory from '@rdfjs/dataset';
import SHACLValidator from 'rdf-validate-shacl';
import { createDocumentLoader, type DocumentLoader } from '../../src/jsonld/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The shared EDC reference folder (tests may read it; the service never does). */
export const EDC_REFERENCE = join(here, '..', '..', '..', 'shared', 'reference', 'edc');

/** Which EDC shapes graphs to validate against. */
export type ShapeProfile = 'generic' | 'accredited';

const SHAPE_FILES: Record<ShapeProfile, string> = { generic: 'EDC-generic-full.ttl', accredited: 'EDC-accredited.ttl' };
// owl:imports between the EDC shapes graphs, resolved from local files (never fetched).
const IMPORTS: Record<string, string> = {
  'http://data.europa.eu/snb/model/ap/edc-generic-no-cv': 'EDC-generic-no-cv.ttl',
  'http://data.europa.eu/snb/model/ap/edc-generic-full': 'EDC-generic-full.ttl',
  'http://data.europa.eu/snb/model/ap/edc-accredited': 'EDC-accredited.ttl',
};

const fileCache = new Map<string, Quad[]>();
function shapesFile(file: string): Quad[] {
  let quads = fileCache.get(file);
  if (!quads) {
    quads = new Parser().parse(readFileSync(join(EDC_REFERENCE, 'elm', 'shacl', file), 'utf8'));
    fileCache.set(file, quads);
  }
  return quads;
}

function importGraph(url: { value: string }): DatasetCore {
  const file = IMPORTS[url.value];
  if (!file) throw new Error(`SHACL import ${url.value} is not available locally`);
  return datasetFactory.dataset(shapesFile(file));
}

/** One SHACL violation, flattened for assertions and messages. */
export interface ShaclViolation { focusNode: string; path: string | null; message: string; shape: string | null }

/** Outcome of a SHACL validation. */
export interface ShaclOutcome { conforms: boolean; violations: ShaclViolation[]; quads: number }

let loader: DocumentLoader | undefined;
/** The project's bundled-context document loader (shared by the ELM tests). */
export function elmDocumentLoader(): DocumentLoader {
  return (loader ??= createDocumentLoader());
}

/** Converts a JSON-LD credential to RDF quads in safe mode (a dropped term throws). */
export async function toQuads(doc: object): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(structuredClone(doc) as jsonld.JsonLdDocument, {
    format: 'application/n-quads', safe: true, documentLoader: elmDocumentLoader(), base: null,
  })) as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads);
}

/** Validates a credential against the EDC shapes for the given profile. */
export async function validateShacl(doc: object, profile: ShapeProfile = 'generic'): Promise<ShaclOutcome> {
  const quads = await toQuads(doc);
  const validator = new SHACLValidator(datasetFactory.dataset(shapesFile(SHAPE_FILES[profile])), { importGraph });
  const report = await validator.validate(datasetFactory.dataset(quads));
  const violations = report.results.map((r) => ({
    focusNode: r.focusNode?.value ?? '', path: r.path?.value ?? null,
    message: r.message.map((m) => m.value).join('; '), shape: r.sourceShape?.value ?? null,
  }));
  return { conforms: report.conforms, violations, quads: quads.length };
}

/** Reads a file of the shared EDC reference folder as JSON. */
export function readReferenceJson(...path: string[]): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EDC_REFERENCE, ...path), 'utf8')) as Record<string, unknown>;
}

/** The VC payload of a signed EDC sample (JAdES JSON serialization with a `payload` string). */
export function signedSamplePayload(file: string): Record<string, unknown> {
  const jades = readReferenceJson('elm', 'samples', file);
  return JSON.parse(jades['payload'] as string) as Record<string, unknown>;
}

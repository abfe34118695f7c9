import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import schema from '../../schemas/trust-list.schema.json' with { type: 'json' };
import type { RegistryRepo } from './registry-repo.js';
import { TrustListError } from './trust-errors.js';
import type { LegalIdentifiers, OrganisationKind, OrganisationRecord } from './types.js';

// ajv-formats is CJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;

/** One organisation entry of a trust list. */
export interface TrustListOrganisation {
  id?: string;
  legalName: string;
  country: string;
  dids?: string[];
  uris?: string[];
  legalIdentifiers?: LegalIdentifiers;
  status?: 'active' | 'disabled';
}

/** A trust-list file (schemas/trust-list.schema.json). */
export interface TrustList {
  name: string;
  description?: string;
  version: string;
  issued: string;
  operator?: TrustListOrganisation;
  qaAgencies: TrustListOrganisation[];
  institutions?: TrustListOrganisation[];
  accreditations?: Array<Record<string, unknown>>;
}

/** What a load did. */
export interface TrustListLoadResult {
  path: string;
  name: string;
  version: string;
  qaAgencies: number;
  institutions: number;
  accreditations: number;
  /** Agencies of an earlier trust list that lost their trust-list trust. */
  withdrawn: number;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile<TrustList>(schema);

/** The trust-list JSON Schema. */
export const trustListSchema: Readonly<Record<string, unknown>> = schema;

/** Validate a parsed trust list; `path` names the source in the error. */
export function parseTrustList(json: unknown, path = '(inline)'): TrustList {
  if (validate(json)) return json;
  const errors = (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', keyword: e.keyword, message: e.message ?? 'invalid', params: e.params }));
  const first = errors[0];
  throw new TrustListError(
    `Trust list ${path} does not match schemas/trust-list.schema.json: ${first ? `${first.path} ${first.message}` : 'invalid'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`,
    { path, errors },
  );
}

/** Read and validate a trust-list file; errors name the path. */
export async function readTrustList(path: string): Promise<TrustList> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TrustListError(`Trust list ${path} cannot be read: ${(err as Error).message}`, { path }, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TrustListError(`Trust list ${path} is not valid JSON: ${(err as Error).message}`, { path }, { cause: err });
  }
  return parseTrustList(json, path);
}

function input(o: TrustListOrganisation, kind: OrganisationKind, anchor: boolean) {
  return {
    kind,
    legalName: o.legalName,
    country: o.country,
    dids: o.dids ?? [],
    uris: [...(o.id ? [o.id] : []), ...(o.uris ?? [])],
    legalIdentifiers: o.legalIdentifiers ?? {},
    status: o.status ?? 'active',
    // Agencies get their trust from the list itself: listed and not disabled means trusted.
    ...(anchor ? { trust: { trusted: o.status !== 'disabled', source: 'trust-list' as const } } : {}),
    source: 'trust-list' as const,
  };
}

/** Load a trust list into the registry in one transaction (idempotent); a new list replaces the old list's anchors. */
export async function loadTrustList(repo: RegistryRepo, path: string): Promise<TrustListLoadResult> {
  const list = await readTrustList(path);
  return applyTrustList(repo, list, path);
}

/** Apply an already validated trust list to the registry. */
export async function applyTrustList(repo: RegistryRepo, list: TrustList, path = '(inline)'): Promise<TrustListLoadResult> {
  return repo.transaction(async (tx) => {
    const anchors: OrganisationRecord[] = [];
    if (list.operator) await tx.upsertOrganisation(input(list.operator, 'registry-operator', false));
    for (const agency of list.qaAgencies) anchors.push(await tx.upsertOrganisation(input(agency, 'qa-agency', true)));
    for (const inst of list.institutions ?? []) await tx.upsertOrganisation(input(inst, 'institution', false));
    for (const [i, node] of (list.accreditations ?? []).entries()) {
      try {
        await tx.upsertAccreditation(node, { source: 'trust-list' });
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new TrustListError(`Trust list ${path}: accreditation #${i} (${String(node.id)}) is invalid: ${msg}`, { path, index: i }, { cause: err });
      }
    }
    const withdrawn = await tx.withdrawTrustListAnchorsExcept(anchors.map((a) => a.id));
    return {
      path, name: list.name, version: list.version,
      qaAgencies: anchors.length, institutions: list.institutions?.length ?? 0, accreditations: list.accreditations?.length ?? 0, withdrawn,
    };
  });
}

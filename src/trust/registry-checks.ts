import type { CheckResult } from '../verifying/types.js';
import { checkAccreditation, type CheckAccreditationInput } from './check-accreditation.js';
import { checkIssuerTrust } from './check-issuer-trust.js';
import { readCredentialFacts } from './credential-claims.js';
import type { AccreditationCheckOptions } from './evaluate-accreditation.js';
import { idOf } from './elm-read.js';
import type { RegistryRepo } from './registry-repo.js';
import type { AccreditationRecord, OrganisationRecord, OrganisationRef, TrustSnapshot } from './types.js';
import { createChangeCache, type CacheStats, type ChangeFeed } from '../store/index.js';

/** The part of the repository the checks read; anything with these methods will do. */
export type RegistryReader = Pick<RegistryRepo, 'getAccreditations' | 'findOrganisations'>;

/**
 * The checks' reads kept in memory until the store announces a change to the registry (any
 * write to its organisations or accreditations, by any process: see store/changes.ts).
 */
export function cachedRegistryReader(repo: RegistryReader, changes: ChangeFeed): RegistryReader & { stats(): CacheStats } {
  const organisations = createChangeCache<OrganisationRecord[]>(changes, { topic: 'trust', max: 10_000 });
  const accreditations = createChangeCache<AccreditationRecord[]>(changes, { topic: 'trust', max: 10_000 });
  return {
    findOrganisations: (lookup) => organisations.get(JSON.stringify(lookup), () => repo.findOrganisations(lookup)),
    getAccreditations: (ids) => accreditations.get(JSON.stringify(ids), () => repo.getAccreditations(ids)),
    stats() {
      const [a, b] = [organisations.stats(), accreditations.stats()];
      return { hits: a.hits + b.hits, misses: a.misses + b.misses, bypassed: a.bypassed + b.bypassed, size: a.size + b.size };
    },
  };
}

function unavailable(check: string, err: unknown): CheckResult {
  return {
    check,
    status: 'indeterminate',
    code: 'REGISTRY_UNAVAILABLE',
    message: 'The trust registry could not be read, so this could not be decided.',
    detail: { reason: err instanceof Error ? err.message : String(err) },
  };
}

/** Fetch the registry entries one credential's checks need: claimed accreditations and every organisation they or the credential name. */
export async function fetchSnapshotForCredential(repo: RegistryReader, credential: Record<string, unknown>, issuerDid?: string): Promise<TrustSnapshot> {
  const facts = readCredentialFacts(credential);
  const accreditations = facts.accreditations.length > 0 ? await repo.getAccreditations(facts.accreditations.map((a) => a.id)) : [];
  const refs: OrganisationRef[] = [facts.issuer, ...facts.claims.flatMap((c) => c.awardingBodies)];
  for (const a of accreditations) refs.push(a.organisation, a.accreditingAgent);
  const names = refs.map((r) => r.id).filter((x): x is string => x !== null);
  if (issuerDid) names.push(issuerDid);
  const credentialIssuer = idOf(credential.issuer);
  if (credentialIssuer) names.push(credentialIssuer);
  const organisations = await repo.findOrganisations({
    ids: accreditations.flatMap((a) => [a.organisationId, a.accreditingAgentId]).filter((x): x is string => x !== null),
    dids: names.filter((n) => n.startsWith('did:')),
    uris: names.filter((n) => !n.startsWith('did:')),
    legalIdentifiers: refs.map((r) => r.legalIdentifiers),
  });
  return { organisations, accreditations };
}

/** `trust` check against the stored registry; indeterminate when the registry cannot be read. */
export async function checkIssuerTrustInRegistry(input: { issuerDid: string }, repo: RegistryReader): Promise<CheckResult> {
  let organisations;
  try {
    organisations = await repo.findOrganisations({ dids: [input.issuerDid] });
  } catch (err) {
    return unavailable('trust', err);
  }
  return checkIssuerTrust(input, { organisations, accreditations: [] });
}

/** `accreditation` check against the stored registry; indeterminate when the registry cannot be read. */
export async function checkAccreditationInRegistry(
  input: CheckAccreditationInput, repo: RegistryReader, options: AccreditationCheckOptions = {},
): Promise<CheckResult> {
  // Nothing claimed: decide without touching the registry, so an outage cannot turn "skipped" into "indeterminate".
  if (readCredentialFacts(input.credential).accreditations.length === 0) {
    return checkAccreditation(input, { organisations: [], accreditations: [] }, options);
  }
  let snapshot: TrustSnapshot;
  try {
    snapshot = await fetchSnapshotForCredential(repo, input.credential, input.issuerDid);
  } catch (err) {
    return unavailable('accreditation', err);
  }
  return checkAccreditation(input, snapshot, options);
}

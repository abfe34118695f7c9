import { createPublicOnlyFetch, createResolver } from '../did/index.js';
import { completenessCheck as completeness } from '../elm/index.js';
import { createDocumentLoader } from '../jsonld/index.js';
import { createStatusChecker } from '../status/index.js';
import { loadMigrations, migrate, openDb, type Db } from '../store/index.js';
import { applyTrustList, createRegistryRepo, readTrustList, registryChecks, type TrustListLoadResult } from '../trust/index.js';
import { skipped, verify, type Check, type VerificationReport } from '../verifying/index.js';

/** Options of the command-line verifier. */
export interface OfflineVerifierOptions {
  /** Let did:web resolution and status-list fetches use the network (default: no network at all). */
  allowNetwork?: boolean;
  /** Trust-list JSON file loaded into an in-memory registry for the trust and accreditation checks. */
  registryFile?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** A verifier for the CLI: bundled contexts, did:key/did:jwk offline, optional in-memory registry. */
export interface OfflineVerifier {
  verify(input: unknown): Promise<VerificationReport>;
  registry: TrustListLoadResult | null;
  close(): Promise<void>;
}

// Offline means offline: a fetch that fails before any I/O, so did:web and status lists end indeterminate.
const noNetwork: typeof fetch = async (input) => {
  throw new Error(`network access is disabled (use --allow-network): ${String(input instanceof Request ? input.url : input)}`);
};

function notConfigured(name: string): Check {
  return {
    name,
    appliesTo: ['credential'],
    async run() {
      return skipped('No trust registry given (use --registry <trust-list.json>).', 'REGISTRY_NOT_CONFIGURED');
    },
  };
}

/** Build the command-line verifier; close() releases the in-memory registry. */
export async function createOfflineVerifier(opts: OfflineVerifierOptions = {}): Promise<OfflineVerifier> {
  const now = opts.now ?? (() => new Date());
  const fetchFn = opts.allowNetwork ? (opts.fetch ?? createPublicOnlyFetch()) : noNetwork;
  const resolver = createResolver({ fetch: fetchFn, now: () => now().getTime(), cache: { max: 100, ttlMs: 60_000 } });
  const documentLoader = createDocumentLoader({ resolveDid: (url) => resolver.dereference(url) as Promise<object> });
  let db: Db | null = null;
  let loaded: TrustListLoadResult | null = null;
  let checks: Check[] = [notConfigured('trust'), notConfigured('accreditation'), completeness];
  if (opts.registryFile) {
    // Validate the file before paying for a database; then create only the registry's tables.
    const list = await readTrustList(opts.registryFile);
    db = await openDb({ migrate: false });
    try {
      await migrate(db, loadMigrations().filter((m) => m.sql.includes('CREATE TABLE trust_')));
      const repo = createRegistryRepo({ db, now });
      loaded = await applyTrustList(repo, list, opts.registryFile);
      checks = [...registryChecks(repo), completeness];
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  const base = { documentLoader, resolver, now };
  const statusChecker = createStatusChecker({
    fetch: fetchFn,
    // No list is "ours" here: every list is fetched (or refused offline) and its proof verified.
    publicUrl: 'https://status.invalid',
    verifyCredential: async (list) => {
      const r = await verify(list, base);
      return { verified: r.verified, message: r.results.filter((x) => x.status !== 'passed').map((x) => x.message).join(' ') };
    },
    now: () => now().getTime(),
  });
  return {
    registry: loaded,
    verify: (input) => verify(input, { ...base, checks, statusChecker }),
    close: async () => {
      await db?.close();
    },
  };
}

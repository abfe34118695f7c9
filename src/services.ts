import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';
import { randomUUID } from 'node:crypto';
import { createMicroCredentialService, type MicroCredentialService } from './microcredentials/index.js';
import type { Config } from './config.js';
import type { AppDeps } from './app.js';
import type { CacheStats, Db } from './store/index.js';
import { createDocumentLoader, createFastRdf, fastFirst, loadBundledContexts, withCanonicalizer, type DocumentLoader, type FastRdf } from './jsonld/index.js';
import { createCanonizePool, type CanonizePool } from './workers/index.js';
import { createPublicOnlyFetch, createResolver, type DidResolver } from './did/index.js';
import { createInstitutionService, type InstitutionService } from './institutions/index.js';
import { createCredentialService, type CredentialService } from './credentials/index.js';
import { createStatusService, type StatusService } from './status/index.js';
import { cachedRegistryReader, createRegistryRepo, loadTrustList, registryChecks, type RegistryRepo } from './trust/index.js';
import { createVerificationService, type Check, type StatusChecker, type VerificationService } from './verifying/index.js';
import { completenessCheck, isElmCredential, summarize, annexIReport } from './elm/index.js';
import { createWebService, type WebService } from './web/index.js';
import { createWalletService, type WalletService } from './wallet/index.js';

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

/** Everything routes call: capabilities wired to the store, the clock and each other. */
export interface Services {
  version: string;
  db: Db;
  now: () => Date;
  institutions: InstitutionService;
  credentials: CredentialService;
  resolver: DidResolver;
  documentLoader: DocumentLoader;
  web: WebService;
  registry: RegistryRepo;
  verifier: VerificationService;
  /** Set by the status module once built; the verifier asks for it at each verification. */
  statusChecker?: StatusChecker;
  status: StatusService;
  wallet: WalletService;
  microcredentials: MicroCredentialService;
  /** Worker pool canonicalizing JSON-LD; absent when WORKER_THREADS=0. */
  canonizePool?: CanonizePool;
  /** The fast JSON-LD → RDF path (its counters feed /metrics). */
  fastRdf: FastRdf;
  /** What verification keeps in memory until the store announces a change (for /metrics). */
  caches(): Record<'did' | 'apiKey' | 'registry' | 'status', CacheStats>;
  // <service-types: add `x: XService;` fields above this marker>
  close(): Promise<void>;
}

/** Wire the capabilities together; nothing here listens or reads the environment. */
export async function createServices(config: Config, deps: AppDeps): Promise<Services> {
  const now = deps.now ?? (() => new Date());
  const registry = createRegistryRepo({ db: deps.db, now });
  const institutions = createInstitutionService({
    db: deps.db,
    kek: deps.kek,
    publicUrl: config.publicUrl,
    now,
    // Our tenants are institutions of the trust registry, identified by their DID.
    onChange: async (inst) => {
      await registry.upsertOrganisation({
        kind: 'institution',
        legalName: inst.legalName,
        country: inst.country,
        dids: [inst.did],
        legalIdentifiers: { ...inst.legalIdentifiers },
        status: inst.status,
        source: 'admin',
      });
    },
  });
  // Outbound HTTP (did:web, remote status lists) can only reach public addresses, checked at connect time.
  const outbound = deps.fetch ?? (deps.allowPrivateNetwork ? globalThis.fetch : createPublicOnlyFetch());
  const resolver = createResolver({
    fetch: outbound,
    now: () => now().getTime(),
    cache: { max: 1000, ttlMs: 5 * 60_000 },
    allowPrivateHosts: deps.allowPrivateNetwork ?? false,
    allowHttp: deps.allowPrivateNetwork ?? false,
    resolveOwn: async (did) => (await institutions.resolveOwnDid(did)) as never,
  });
  // JSON-LD canonicalization (the cost of Data Integrity) travels with the loader: the fast
  // path in this thread, and what it does not cover on a worker pool running jsonld.js.
  const canonizePool = config.workerThreads > 0 ? createCanonizePool({ size: config.workerThreads, contexts: loadBundledContexts() }) : undefined;
  const baseLoader = createDocumentLoader({ resolveDid: (url) => resolver.dereference(url) as Promise<object> });
  const fastRdf = createFastRdf(loadBundledContexts());
  const documentLoader = withCanonicalizer(baseLoader, fastFirst(fastRdf, canonizePool && { canonize: canonizePool.canonize, expand: canonizePool.expand }));
  const status = createStatusService({ db: deps.db, institutions, documentLoader, resolver, publicUrl: config.publicUrl, now, clockSkewSeconds: config.clockSkewSeconds, fetch: outbound, allowPrivateNetwork: deps.allowPrivateNetwork ?? false });
  const credentials = createCredentialService({ db: deps.db, institutions, documentLoader, now, hooks: status.hooks });
  const registryReader = cachedRegistryReader(registry, deps.db.changes);
  const verifierChecks: Check[] = [...registryChecks(registryReader), completenessCheck];
  const services = {} as Services;
  const verifier = createVerificationService({
    db: deps.db,
    documentLoader,
    resolver,
    now,
    clockSkewSeconds: config.clockSkewSeconds,
    checks: () => verifierChecks,
    statusChecker: () => services.statusChecker,
    // The report carries the human summary of a micro-credential, so no client re-parses ELM.
    enrich: (report, document) => {
      if (!isElmCredential(document)) return;
      report.summary.microCredential = summarize(document);
      report.summary.annexI = annexIReport(document);
    },
  });
  const wallet = createWalletService({ db: deps.db, institutions, credentials, resolver, now, publicUrl: config.publicUrl, settings: config });
  // The page uses the same verifier as POST /credentials/verify and /presentations/verify.
  const web = createWebService({ db: deps.db, now, publicUrl: config.publicUrl, verify: (input, o) => (o.kind === 'presentation' ? verifier.verifyPresentation(input, o.expected ?? {}) : verifier.verifyCredential(input)) });
  if (config.trustListFile) await loadTrustList(registry, config.trustListFile); // a bad trust list stops start-up, naming the file
  const microcredentials = createMicroCredentialService({ clockSkewSeconds: config.clockSkewSeconds, db: deps.db, registry, credentials, documentLoader, now, newId: () => randomUUID(), ...(deps.logger ? { logger: deps.logger } : {}) });
  // <service-factories: create further capability services above this marker>
  return Object.assign(services, {
    version: pkg.version,
    db: deps.db,
    now,
    institutions,
    credentials,
    resolver,
    documentLoader,
    web,
    registry,
    verifier,
    status,
    statusChecker: status.checker,
    caches: () => ({ ...institutions.cacheStats(), registry: registryReader.stats(), status: status.checker.ownEntryStats() }),
    wallet,
    microcredentials,
    canonizePool,
    fastRdf,
    // <service-fields: add the services created above to this object above this marker>
    close: async () => {
      await canonizePool?.close();
    },
  });
}

import { readFileSync } from 'node:fs';
import type { Config } from './config.js';
import type { AppDeps } from './app.js';
import type { Db } from './store/index.js';
import { createDocumentLoader, type DocumentLoader } from './jsonld/index.js';
import { createResolver, type DidResolver } from './did/index.js';
import { createInstitutionService, type InstitutionService } from './institutions/index.js';
import { createCredentialService, type CredentialService } from './credentials/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Everything routes call: capabilities wired to the store, the clock and each other. */
export interface Services {
  version: string;
  db: Db;
  now: () => Date;
  institutions: InstitutionService;
  credentials: CredentialService;
  resolver: DidResolver;
  documentLoader: DocumentLoader;
  // <service-types: add `x: XService;` fields above this marker>
  close(): Promise<void>;
}

/** Wire the capabilities together; nothing here listens or reads the environment. */
export async function createServices(config: Config, deps: AppDeps): Promise<Services> {
  const now = deps.now ?? (() => new Date());
  const institutions = createInstitutionService({ db: deps.db, kek: deps.kek, publicUrl: config.publicUrl, now });
  const resolver = createResolver({
    fetch: deps.fetch ?? globalThis.fetch,
    now: () => now().getTime(),
    cache: { max: 1000, ttlMs: 5 * 60_000 },
    allowPrivateHosts: deps.allowPrivateNetwork ?? false,
    allowHttp: deps.allowPrivateNetwork ?? false,
    resolveOwn: async (did) => (await institutions.resolveOwnDid(did)) as never,
  });
  const documentLoader = createDocumentLoader({ resolveDid: (url) => resolver.dereference(url) as Promise<object> });
  const credentials = createCredentialService({ db: deps.db, institutions, documentLoader, now });
  // <service-factories: create further capability services above this marker>
  return {
    version: pkg.version,
    db: deps.db,
    now,
    institutions,
    credentials,
    resolver,
    documentLoader,
    // <service-fields: add the services created above to this object above this marker>
    close: async () => undefined,
  };
}

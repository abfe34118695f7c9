import type { Db } from '../store/index.js';
import type { Actor } from '../audit/index.js';
import type { DocumentLoader } from '../jsonld/index.js';
import type { InstitutionRecord, InstitutionService } from '../institutions/index.js';
import type { DidResolver, LookupFn } from '../did/index.js';
import { StatusError } from './errors.js';
import { verifyListWith } from './verify-list.js';
import { createStatusHooks } from './hooks.js';
import { createPublisher } from './publish.js';
import { changeStatus, readStatus } from './change.js';
import { createStatusChecker, type StatusCheckerDeps } from './checker.js';
import { DEFAULT_TTL_MS, STATUS_LIST_SIZE, type CredentialStatusView, type StatusAction } from './types.js';

/** What the status service needs; randomness, time and fetch are injected. */
export interface StatusServiceDeps {
  db: Db;
  institutions: Pick<InstitutionService, 'signers'>;
  documentLoader: DocumentLoader;
  publicUrl: string;
  now: () => Date;
  /** Capacity of new lists (default 131072; tests use tiny lists to exercise roll-over). */
  listSize?: number;
  /** List credential ttl in ms (default 5 minutes). */
  ttlMs?: number;
  randomInt?: (max: number) => number;
  /** Status indexes reserved per statement and handed out from memory (default RESERVE_AHEAD). */
  reserveAhead?: number;
  /** Verifier side: how fetched lists are verified (default: the full verifier over `resolver`), and the network they may come from. */
  verifyCredential?: StatusCheckerDeps['verifyCredential'];
  resolver?: DidResolver;
  fetch: typeof fetch;
  allowPrivateNetwork?: boolean;
  lookup?: LookupFn;
  fetchTimeoutMs?: number;
  /** The verifier's clock skew, applied to fetched lists' validity periods, also while cached (default 300). */
  clockSkewSeconds?: number;
}

/**
 * Indexes reserved ahead per statement: issuance then costs one statement (its insert) instead
 * of two. At most this many per process, institution and purpose stay unused when it stops.
 */
export const RESERVE_AHEAD = 16;

/** Bitstring Status Lists: allocation hooks for issuing, publication, changes and the verifier's checker. */
export function createStatusService(deps: StatusServiceDeps) {
  const ttlMs = deps.ttlMs ?? DEFAULT_TTL_MS;
  const hooks = createStatusHooks({
    db: deps.db,
    listSize: deps.listSize ?? STATUS_LIST_SIZE,
    now: deps.now,
    publicUrl: deps.publicUrl,
    openLists: new Map(),
    reserveAhead: deps.reserveAhead ?? RESERVE_AHEAD,
    reserved: new Map(),
    ...(deps.randomInt ? { randomInt: deps.randomInt } : {}),
  });
  const publisher = createPublisher({ db: deps.db, institutions: deps.institutions, documentLoader: deps.documentLoader, publicUrl: deps.publicUrl, ttlMs, now: deps.now });
  const skew = deps.clockSkewSeconds;
  const verifyCredential =
    deps.verifyCredential ??
    (deps.resolver
      ? verifyListWith({ documentLoader: deps.documentLoader, resolver: deps.resolver, now: deps.now, ...(skew === undefined ? {} : { clockSkewSeconds: skew }) })
      : async () => {
          throw new StatusError('STATUS_LIST_INVALID', 'No verifier is configured for status lists.');
        });
  const checker = createStatusChecker({
    fetch: deps.fetch,
    publicUrl: deps.publicUrl,
    db: deps.db,
    changes: deps.db.changes,
    verifyCredential,
    now: () => deps.now().getTime(),
    ...(skew === undefined ? {} : { clockSkewSeconds: skew }),
    allowPrivateNetwork: deps.allowPrivateNetwork ?? false,
    ...(deps.lookup ? { lookup: deps.lookup } : {}),
    ...(deps.fetchTimeoutMs ? { timeoutMs: deps.fetchTimeoutMs } : {}),
    cache: { max: 500, maxTtlMs: ttlMs },
  });

  return {
    /** Pass to createCredentialService({hooks}) so every issued credential gets its entries. */
    hooks,
    /** The verifier's StatusChecker. */
    checker,
    /** The signed list credential to serve (STATUS_LIST_NOT_FOUND when unknown). */
    publish: (listId: string) => publisher.get(listId),
    /** A credential's current status (owner only). */
    read: (institution: InstitutionRecord, credentialId: string): Promise<CredentialStatusView> => readStatus(deps.db, deps.publicUrl, institution.id, credentialId),
    /** Revoke / suspend / reinstate; resolves after commit with the new status. */
    change: (institution: InstitutionRecord, credentialId: string, actions: StatusAction[], actor: Actor): Promise<CredentialStatusView> =>
      changeStatus(deps.db, { publicUrl: deps.publicUrl, institutionId: institution.id, credentialId, actions, actor, now: deps.now() }),
  };
}

/** The status service's type. */
export type StatusService = ReturnType<typeof createStatusService>;

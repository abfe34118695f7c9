import { LRUCache } from 'lru-cache';
import { createChangeCache, NO_CHANGE_FEED, type CacheStats, type ChangeFeed, type Queryable } from '../store/index.js';
import type { StatusChecker } from '../verifying/index.js';
import { issuerIdOf } from '../issuing/index.js';
import { decodeList, getBit, MAX_DECODED_BYTES, MIN_LIST_BITS } from './bitstring.js';
import { ownListId } from './entry.js';
import { fetchListCredential, type FetchListOptions } from './fetch-list.js';
import { listEntryForCheck } from './repo.js';
import { readEntry } from './read-entry.js';
import { StatusError } from './errors.js';

type CheckOutput = Awaited<ReturnType<StatusChecker['check']>>;

/** Options of createStatusChecker(). */
export interface StatusCheckerDeps extends Partial<Omit<FetchListOptions, 'fetch'>> {
  fetch: typeof fetch;
  /** Lists under `${publicUrl}/status-lists/` are read from this store, not over HTTP. */
  publicUrl: string;
  db?: Queryable;
  /** The store's change feed: entries of our own lists are kept until a change of theirs is announced. */
  changes?: ChangeFeed;
  /** Verifies a fetched list credential's proof (and validity period); wired to the real verifier. */
  verifyCredential: (credential: Record<string, unknown>) => Promise<{ verified: boolean; message?: string }>;
  /** Clock in ms (cache expiry). */
  now?: () => number;
  /** The verifier's clock skew: a cached list is used until its validUntil plus this, like the check made when it was fetched (default 300). */
  clockSkewSeconds?: number;
  /** Bounded cache of fetched lists: entries and the longest time one is kept (ttl is honoured below this). */
  cache?: { max?: number; maxTtlMs?: number };
  maxDecodedBytes?: number;
}

/** A fetched, verified, decoded remote list. */
interface RemoteList {
  issuer: string | undefined;
  purposes: string[];
  bits: Uint8Array;
}

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const flagged = (code: string, message: string, detail: Record<string, unknown>): CheckOutput => ({ flagged: true, code, message, detail });

/**
 * The end of a list credential's validity in ms (validUntil, expirationDate, or a proof's
 * expires, whichever comes first); +Infinity when it states none. Unreadable dates are the
 * verifier's to refuse at fetch time.
 */
function validityEnd(doc: Record<string, unknown>): number {
  const ends = [doc.validUntil, doc.expirationDate, ...asArray(doc.proof).map((p) => (typeof p === 'object' && p !== null ? (p as Record<string, unknown>).expires : undefined))]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => Date.parse(v))
    .filter((t) => !Number.isNaN(t));
  return Math.min(Number.POSITIVE_INFINITY, ...ends);
}

/** The verdict for one bit of a list of the entry's purpose. */
function outcome(purpose: string, set: boolean, detail: Record<string, unknown>): CheckOutput {
  if (!set) return { flagged: false, detail };
  if (purpose === 'revocation') return flagged('CREDENTIAL_REVOKED', 'The credential has been revoked (statusPurpose "revocation").', detail);
  if (purpose === 'suspension') return flagged('CREDENTIAL_SUSPENDED', 'The credential is suspended (statusPurpose "suspension").', detail);
  // refresh/message bits say nothing about validity.
  return { flagged: false, message: `Status bit set for statusPurpose "${purpose}".`, detail };
}

/** Parse a remote list credential's shape and bits (proof is verified separately). */
function parseRemote(doc: Record<string, unknown>, url: string, maxDecodedBytes: number): RemoteList {
  const invalid = (m: string) => new StatusError('STATUS_LIST_INVALID', m, { url });
  if (!asArray(doc.type).includes('BitstringStatusListCredential')) throw invalid('The status list is not a BitstringStatusListCredential.');
  if (doc.id !== undefined && doc.id !== url) throw invalid('The status list credential id does not match its URL.');
  const subjects = asArray(doc.credentialSubject);
  const subject = subjects[0] as Record<string, unknown> | undefined;
  if (subjects.length !== 1 || !subject || typeof subject !== 'object' || !asArray(subject.type).includes('BitstringStatusList')) {
    throw invalid('The status list credential has no BitstringStatusList subject.');
  }
  const purposes = asArray(subject.statusPurpose).filter((p): p is string => typeof p === 'string');
  if (purposes.length === 0) throw invalid('The status list has no statusPurpose.');
  const bits = decodeList(subject.encodedList, maxDecodedBytes);
  if (bits.length * 8 < MIN_LIST_BITS) throw new StatusError('STATUS_LIST_LENGTH_ERROR', `The status list has fewer than ${MIN_LIST_BITS} bits.`, { url, bits: bits.length * 8 });
  return { issuer: issuerIdOf(doc), purposes, bits };
}

/**
 * The verifier's status check (BitstringStatusListEntry). Our own lists are read from the store,
 * each entry kept in memory until the store announces a change to it (revocation, suspension,
 * reinstatement: see store/changes.ts), so a check is as current as the store; others are fetched under did:web's network guards, their proof
 * verified, then cached for their `ttl` in a bounded LRU. Returns flagged with a code for a
 * revoked/suspended credential or a malformed/mismatched entry; throws a StatusError (the
 * check becomes indeterminate) when the list cannot be obtained or trusted.
 */
export function createStatusChecker(deps: StatusCheckerDeps): StatusChecker & { clearCache(): void; ownEntryStats(): CacheStats } {
  const now = deps.now ?? Date.now;
  const maxTtlMs = deps.cache?.maxTtlMs ?? 5 * 60_000;
  const maxDecoded = deps.maxDecodedBytes ?? MAX_DECODED_BYTES;
  const skewMs = (deps.clockSkewSeconds ?? 300) * 1000;
  // Expiry is kept with each entry and judged by the injected clock; the LRU only bounds the size.
  const cache = new LRUCache<string, { list: RemoteList; expiresAt: number }>({ max: deps.cache?.max ?? 500 });
  // Keyed as the store announces changes: '<list id>:<index>'. An index with no entry is not
  // kept: entries are inserted without an announcement.
  const own = createChangeCache<Awaited<ReturnType<typeof listEntryForCheck>>>(deps.changes ?? NO_CHANGE_FEED, { topic: 'status', max: 50_000, keep: (e) => e !== undefined && e.status !== null });
  const fetchOpts: FetchListOptions = {
    fetch: deps.fetch,
    allowPrivateNetwork: deps.allowPrivateNetwork ?? false,
    timeoutMs: deps.timeoutMs ?? 5_000,
    maxBytes: deps.maxBytes ?? 1024 * 1024,
    ...(deps.lookup ? { lookup: deps.lookup } : {}),
  };

  async function remote(url: string): Promise<RemoteList> {
    const hit = cache.get(url);
    if (hit && hit.expiresAt > now()) return hit.list;
    const doc = await fetchListCredential(url, fetchOpts);
    const list = parseRemote(doc, url, maxDecoded);
    let verified: { verified: boolean; message?: string };
    try {
      verified = await deps.verifyCredential(doc);
    } catch (err) {
      throw new StatusError('STATUS_LIST_INVALID', `The status list could not be verified: ${(err as Error).message}`, { url }, { cause: err });
    }
    if (!verified.verified) throw new StatusError('STATUS_LIST_INVALID', `The status list's proof does not verify${verified.message ? `: ${verified.message}` : '.'}`, { url });
    const ttl = (doc.credentialSubject as Record<string, unknown>).ttl;
    const ttlMs = typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? Math.min(ttl, maxTtlMs) : maxTtlMs;
    // ttl never extends the list's validity period: past validUntil (plus the skew the verifier
    // allowed when it accepted the list) the copy is dropped and the list fetched and verified again.
    cache.set(url, { list, expiresAt: Math.min(now() + ttlMs, validityEnd(doc) + skewMs) });
    return list;
  }

  return {
    async check({ credential, credentialStatus: entry }) {
      if (!asArray(entry.type).includes('BitstringStatusListEntry')) {
        throw new StatusError('STATUS_TYPE_UNSUPPORTED', `Unsupported credentialStatus type ${JSON.stringify(entry.type)}.`);
      }
      const detail = { statusPurpose: entry.statusPurpose, statusListCredential: entry.statusListCredential, statusListIndex: entry.statusListIndex };
      const read = readEntry(entry);
      if (!read.ok) return flagged('MALFORMED_VALUE_ERROR', read.message, detail);
      const { purpose, url, index, size } = read.values;
      // The spec lets a conforming processor support single-bit entries only.
      if (size !== 1) throw new StatusError('STATUS_TYPE_UNSUPPORTED', 'Only statusSize 1 is supported.', detail);
      if (index === Number.POSITIVE_INFINITY) return flagged('STATUS_INDEX_OUT_OF_RANGE', `statusListIndex ${String(entry.statusListIndex)} is outside any list.`, detail);
      const issuer = issuerIdOf(credential);

      const localId = deps.db ? ownListId(deps.publicUrl, url) : undefined;
      if (deps.db && localId) {
        const db = deps.db;
        const list = await own.get(`${localId}:${index}`, () => listEntryForCheck(db, localId, index));
        if (!list) throw new StatusError('STATUS_RETRIEVAL_ERROR', 'No such status list.', detail);
        if (list.issuerDid === null || list.issuerDid !== issuer) return flagged('STATUS_LIST_ISSUER_MISMATCH', "The status list's issuer is not the credential's issuer.", detail);
        if (list.purpose !== purpose) return flagged('STATUS_PURPOSE_MISMATCH', `The entry's statusPurpose "${purpose}" is not the list's "${list.purpose}".`, detail);
        if (index >= Math.max(list.size, MIN_LIST_BITS)) return flagged('STATUS_INDEX_OUT_OF_RANGE', `statusListIndex ${index} is outside the list.`, detail);
        return outcome(purpose, list.status ?? false, detail);
      }

      const list = await remote(url);
      if (list.issuer === undefined || list.issuer !== issuer) return flagged('STATUS_LIST_ISSUER_MISMATCH', "The status list's issuer is not the credential's issuer.", { ...detail, listIssuer: list.issuer });
      if (!list.purposes.includes(purpose)) return flagged('STATUS_PURPOSE_MISMATCH', `The entry's statusPurpose "${purpose}" is not among the list's ${JSON.stringify(list.purposes)}.`, detail);
      if (index >= list.bits.length * 8) return flagged('STATUS_INDEX_OUT_OF_RANGE', `statusListIndex ${index} is outside the ${list.bits.length * 8}-bit list.`, detail);
      return outcome(purpose, getBit(list.bits, index), detail);
    },
    clearCache: () => cache.clear(),
    ownEntryStats: () => own.stats(),
  };
}

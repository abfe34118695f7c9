import { createHash } from 'node:crypto';
import type { Queryable } from '../store/index.js';
import type { DocumentLoader } from '../jsonld/index.js';
import { CONTEXTS } from '../jsonld/index.js';
import { findInstitutionById, type InstitutionService } from '../institutions/index.js';
import { signDataIntegrity, xsdDateTime } from '../issuing/index.js';
import { emptyBits, encodeList, MIN_LIST_BITS, setBit } from './bitstring.js';
import { listUrl } from './entry.js';
import { findList, findSigned, saveSigned, setIndexes, type SignedListRow } from './repo.js';
import { StatusError } from './errors.js';
import type { StatusList } from './types.js';

/** What the publisher needs. */
export interface PublisherDeps {
  db: Queryable;
  institutions: Pick<InstitutionService, 'signers'>;
  documentLoader: DocumentLoader;
  publicUrl: string;
  ttlMs: number;
  now: () => Date;
}

/** A signed list credential ready to serve. */
export interface PublishedList {
  body: string;
  etag: string;
  /** Seconds a cache may keep it: what is left of its ttl, never more than the ttl. */
  maxAgeSeconds: number;
  version: number;
}

/** The unsigned BitstringStatusListCredential (VC 2.0) of a list and its set bits. */
export function buildListCredential(opts: { url: string; issuer: string; purpose: string; bits: Uint8Array; ttlMs: number; now: Date }): Record<string, unknown> {
  return {
    '@context': [CONTEXTS.VC_V2],
    id: opts.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: opts.issuer,
    validFrom: xsdDateTime(opts.now),
    // Bounds how long a replayed old list can be passed off as current.
    validUntil: xsdDateTime(new Date(opts.now.getTime() + 2 * opts.ttlMs)),
    credentialSubject: {
      id: `${opts.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: opts.purpose,
      encodedList: encodeList(opts.bits),
      ttl: opts.ttlMs,
    },
  };
}

/**
 * Serve signed list credentials from the DB cache; re-sign only when the list's version moved
 * past the cached one or the cached one is past half its ttl (so what we hand out always has
 * at least ttl/2 of freshness left and is never older than ttl). Concurrent misses on one
 * list in this process share one signing.
 */
export function createPublisher(deps: PublisherDeps) {
  const inflight = new Map<string, Promise<PublishedList>>();

  const present = (s: SignedListRow): PublishedList => {
    const left = s.signedAt.getTime() + deps.ttlMs - deps.now().getTime();
    return { body: s.document, etag: s.etag, maxAgeSeconds: Math.max(0, Math.floor(left / 1000)), version: s.version };
  };

  async function sign(list: StatusList): Promise<PublishedList> {
    const inst = await findInstitutionById(deps.db, list.institutionId);
    if (!inst) throw new StatusError('STATUS_LIST_NOT_FOUND', `No status list ${list.id}.`);
    // The version was read before the bits: the bits are at least as new as the version we record.
    const bits = emptyBits(Math.max(list.size, MIN_LIST_BITS));
    for (const i of await setIndexes(deps.db, list.id)) setBit(bits, i);
    const now = deps.now();
    const unsigned = buildListCredential({ url: listUrl(deps.publicUrl, list.id), issuer: inst.did, purpose: list.purpose, bits, ttlMs: deps.ttlMs, now });
    const signers = await deps.institutions.signers(inst);
    const signed = await signDataIntegrity(unsigned, { suite: 'eddsa-rdfc-2022', signer: signers.ed25519, documentLoader: deps.documentLoader, now: () => now });
    const document = JSON.stringify(signed);
    const etag = `"${createHash('sha256').update(document).digest('base64url')}"`;
    const row = { version: list.version, document, etag, signedAt: now };
    await saveSigned(deps.db, list.id, row);
    return present(row);
  }

  return {
    /** The current signed list credential (STATUS_LIST_NOT_FOUND when unknown). */
    async get(listId: string): Promise<PublishedList> {
      const list = await findList(deps.db, listId);
      if (!list) throw new StatusError('STATUS_LIST_NOT_FOUND', `No status list ${listId}.`);
      const cached = await findSigned(deps.db, listId);
      const age = cached ? deps.now().getTime() - cached.signedAt.getTime() : Infinity;
      if (cached && cached.version >= list.version && age >= 0 && age < deps.ttlMs / 2) return present(cached);
      // Keyed by version: a request that saw a newer version never waits for an older signing.
      const key = `${listId}@${list.version}`;
      const running = inflight.get(key);
      if (running) return running;
      const p = sign(list).finally(() => inflight.delete(key));
      inflight.set(key, p);
      return p;
    },
  };
}

/** The publisher's type. */
export type Publisher = ReturnType<typeof createPublisher>;

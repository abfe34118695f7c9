import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../store/index.js';
import { createChangeCache, isUniqueViolation } from '../store/index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { appendAudit, type Actor } from '../audit/index.js';
import { generateKeyRecord, loadSigner, type KeyRecord } from '../keys/index.js';
import type { KeyAlgorithm, Signer } from '../keys/types.js';
import { buildDidWebDocument, didWebFromUrl, type IssuerDidDocument } from '../did/index.js';
import { hashToken } from '../plugins/auth.js';
import type { Institution, LegalIdentifiers } from './types.js';
import {
  findInstitutionByDid,
  findInstitutionByKeyHash,
  findInstitutionBySlug,
  insertInstitution,
  listInstitutions,
  setInstitutionStatus,
  type InstitutionSettings,
} from './repo.js';
import { insertKey, listKeys, retireKey, type KeyRow } from './keys-repo.js';

/** Body of POST /admin/institutions. */
export interface InstitutionCreateInput {
  slug: string;
  legalName: string;
  country: string;
  legalIdentifiers: LegalIdentifiers;
  homepage?: string;
  defaultLanguage?: string;
  settings?: InstitutionSettings;
}

/** An institution with its settings, as loaded from the store. */
export type InstitutionRecord = Institution & { settings: InstitutionSettings };

/** The signers an institution issues with: its newest active key of each algorithm. */
export interface InstitutionSigners {
  ed25519: Signer;
  p256: Signer;
}

const ALGORITHMS: KeyAlgorithm[] = ['Ed25519', 'P-256'];
// Decrypted signers are kept so hot issuing paths skip AES-GCM and key import; dropped on any
// change to institutions or keys (the store's change feed), and after this long in any case.
const SIGNER_CACHE_MS = 30_000;

/** Institutions: creation with keys and DID, lookups, status, DID documents and signers. */
export function createInstitutionService(deps: {
  db: Db;
  kek: Buffer;
  publicUrl: string;
  now: () => Date;
  /** Told after an institution is created or changes status (the trust registry mirrors tenants). */
  onChange?: (institution: InstitutionRecord) => Promise<void>;
}) {
  const signerCache = new Map<string, { at: number; signers: InstitutionSigners }>();
  // Any change to institutions or keys, by any process, drops what is kept of them.
  deps.db.changes.subscribe((change) => {
    if (change === null || change.topic === 'institutions') signerCache.clear();
  });
  // Every verification of one of our credentials resolves its issuer's DID.
  const ownDids = createChangeCache<IssuerDidDocument | null>(deps.db.changes, { topic: 'institutions', max: 10_000 });
  // Every institution request authenticates by its API key. Unknown keys are not kept: anyone
  // can send those.
  const byKeyHash = createChangeCache<InstitutionRecord | undefined>(deps.db.changes, { topic: 'institutions', max: 10_000, keep: (i) => i !== undefined });

  async function getBySlug(slug: string): Promise<InstitutionRecord> {
    const inst = await findInstitutionBySlug(deps.db, slug);
    if (!inst) throw new NotFoundError('INSTITUTION_NOT_FOUND', `No institution "${slug}".`);
    return inst;
  }

  async function keysOf(institutionId: string): Promise<Array<KeyRow<KeyRecord>>> {
    return listKeys<KeyRecord>(deps.db, institutionId);
  }

  /** Generate one key of an algorithm for a DID (fragment derived from the public key, so unique). */
  async function newKey(did: string, algorithm: KeyAlgorithm): Promise<KeyRecord> {
    return generateKeyRecord({ algorithm, controller: did, kek: deps.kek, now: deps.now });
  }

  return {
    getBySlug,

    /** Create an institution with Ed25519 and P-256 keys, its did:web DID and an API key (returned once). */
    async create(input: InstitutionCreateInput, actor: Actor): Promise<{ institution: InstitutionRecord; apiKey: string }> {
      const did = didWebFromUrl(deps.publicUrl, input.slug);
      const id = randomUUID();
      const apiKey = `mck_${randomBytes(32).toString('base64url')}`;
      const now = deps.now();
      const keys = await Promise.all(ALGORITHMS.map((a) => newKey(did, a)));
      try {
        await deps.db.transaction(async (tx) => {
          await insertInstitution(tx, {
            id,
            slug: input.slug,
            did,
            legalName: input.legalName,
            country: input.country,
            legalIdentifiers: input.legalIdentifiers,
            homepage: input.homepage,
            defaultLanguage: input.defaultLanguage ?? 'en',
            settings: input.settings ?? {},
            apiKeyHash: hashToken(apiKey),
            createdAt: now,
          });
          for (const k of keys) {
            await insertKey(tx, { id: k.id, institutionId: id, algorithm: k.algorithm, record: k, createdAt: now });
            await appendAudit(tx, { actor, institutionId: id, action: 'key.created', targetType: 'key', targetId: k.id, at: now, detail: { algorithm: k.algorithm } });
          }
          await appendAudit(tx, { actor, institutionId: id, action: 'institution.created', targetType: 'institution', targetId: input.slug, at: now, detail: { did } });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('INSTITUTION_EXISTS', `An institution with slug "${input.slug}" already exists.`);
        throw err;
      }
      const institution = await getBySlug(input.slug);
      await deps.onChange?.(institution);
      return { institution, apiKey };
    },

    /** Page through institutions by slug. */
    list: (opts: { after?: string; limit: number }) => listInstitutions(deps.db, opts),

    /** Disable or re-enable an institution. */
    async setStatus(slug: string, status: 'active' | 'disabled', actor: Actor): Promise<InstitutionRecord> {
      const inst = await getBySlug(slug);
      await deps.db.transaction(async (tx) => {
        await setInstitutionStatus(tx, inst.id, status, deps.now());
        await appendAudit(tx, { actor, institutionId: inst.id, action: status === 'active' ? 'institution.enabled' : 'institution.disabled', targetType: 'institution', targetId: slug, at: deps.now() });
      });
      const updated = await getBySlug(slug);
      await deps.onChange?.(updated);
      return updated;
    },

    /** The public API shape of an institution (never secrets). */
    present(inst: InstitutionRecord) {
      return { ...inst, didDocumentUrl: `${deps.publicUrl}/issuers/${inst.slug}/did.json` };
    },

    /** The did:web document of an institution: every active key, newest last. */
    async didDocument(slug: string): Promise<IssuerDidDocument> {
      const inst = await getBySlug(slug);
      const keys = (await keysOf(inst.id)).filter((k) => k.status === 'active').map((k) => k.record);
      return buildDidWebDocument({ did: inst.did, keys });
    },

    /** DID document for one of our own DIDs, or null when the DID is not ours (resolver hook). */
    async resolveOwnDid(did: string): Promise<IssuerDidDocument | null> {
      return ownDids.get(did, async () => {
        const inst = await findInstitutionByDid(deps.db, did);
        if (!inst) return null;
        const keys = (await keysOf(inst.id)).filter((k) => k.status === 'active').map((k) => k.record);
        return buildDidWebDocument({ did: inst.did, keys });
      });
    },

    /** The institution owning an API key (by its SHA-256), or undefined. */
    findByApiKeyHash(hash: string): Promise<InstitutionRecord | undefined> {
      return byKeyHash.get(hash, () => findInstitutionByKeyHash(deps.db, hash));
    },

    /** Lookups of own DID documents and of API keys since start (for /metrics). */
    cacheStats: () => ({ did: ownDids.stats(), apiKey: byKeyHash.stats() }),

    /** Signers of the newest active key per algorithm. */
    async signers(inst: InstitutionRecord): Promise<InstitutionSigners> {
      const hit = signerCache.get(inst.id);
      if (hit && Date.now() - hit.at < SIGNER_CACHE_MS) return hit.signers;
      const active = (await keysOf(inst.id)).filter((k) => k.status === 'active');
      const newest = (alg: KeyAlgorithm) => {
        const k = active.filter((r) => r.algorithm === alg).at(-1);
        if (!k) throw new NotFoundError('KEY_NOT_FOUND', `Institution "${inst.slug}" has no active ${alg} key.`);
        return k.record;
      };
      const signers = { ed25519: await loadSigner(newest('Ed25519'), deps.kek), p256: await loadSigner(newest('P-256'), deps.kek) };
      signerCache.set(inst.id, { at: Date.now(), signers });
      return signers;
    },

    /** Forget cached signers (after a rotation in this process). */
    invalidateSigners(institutionId: string): void {
      signerCache.delete(institutionId);
    },

    /** Add a new key of each requested algorithm; new credentials and lists are signed with it, old keys stay listed. */
    async rotateKeys(slug: string, algorithms: KeyAlgorithm[], actor: Actor): Promise<Array<KeyRow<KeyRecord>>> {
      const inst = await getBySlug(slug);
      const fresh = await Promise.all(algorithms.map((a) => newKey(inst.did, a)));
      const at = deps.now();
      await deps.db.transaction(async (tx) => {
        for (const k of fresh) {
          await insertKey(tx, { id: k.id, institutionId: inst.id, algorithm: k.algorithm, record: k, createdAt: at });
          await appendAudit(tx, { actor, institutionId: inst.id, action: 'key.rotated', targetType: 'key', targetId: k.id, at, detail: { algorithm: k.algorithm } });
        }
      });
      signerCache.delete(inst.id);
      const ids = new Set(fresh.map((k) => k.id));
      return (await keysOf(inst.id)).filter((k) => ids.has(k.id));
    },

    /** Retire a key: it leaves the DID document, so credentials signed with it stop verifying. */
    async retireKey(slug: string, keyId: string, actor: Actor): Promise<KeyRow<KeyRecord>> {
      const inst = await getBySlug(slug);
      const at = deps.now();
      await deps.db.transaction(async (tx) => {
        // Lock the institution's keys so two retirements cannot both pass the last-key check.
        const { rows } = await tx.query<{ id: string; algorithm: KeyAlgorithm; status: string }>(
          'SELECT id, algorithm, status FROM institution_keys WHERE institution_id = $1 ORDER BY id FOR UPDATE',
          [inst.id],
        );
        const key = rows.find((r) => r.id === keyId);
        if (!key) throw new NotFoundError('KEY_NOT_FOUND', `No key "${keyId}" for institution "${slug}".`);
        if (key.status !== 'active') throw new ConflictError('KEY_ALREADY_RETIRED', `Key "${keyId}" is already retired.`);
        if (rows.filter((r) => r.algorithm === key.algorithm && r.status === 'active').length < 2) {
          throw new ConflictError('KEY_LAST_ACTIVE', `Key "${keyId}" is the last active ${key.algorithm} key; rotate first.`);
        }
        await retireKey(tx, inst.id, keyId, at);
        await appendAudit(tx, { actor, institutionId: inst.id, action: 'key.retired', targetType: 'key', targetId: keyId, at });
      });
      signerCache.delete(inst.id);
      return (await keysOf(inst.id)).find((k) => k.id === keyId)!;
    },

    keysOf,
  };
}

/** The institution service's type. */
export type InstitutionService = ReturnType<typeof createInstitutionService>;

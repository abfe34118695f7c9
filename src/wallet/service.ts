import { randomBytes, randomUUID } from 'node:crypto';
import { appendAudit, type Actor } from '../audit/index.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { IssueRequestBody } from '../credentials/index.js';
import type { InstitutionRecord } from '../institutions/index.js';
import { checkPreparable } from './prepare.js';
import { insertPrepared } from './prepared-repo.js';
import { preparedFor } from './source.js';
import { authorizationServerMetadata, credentialIssuerMetadata } from './metadata.js';
import { createOffer, offerByHandle, offerState } from './offers.js';
import { redeemPreAuthorizedCode, type TokenParams } from './token.js';
import { issueNonce } from './nonce.js';
import { deliverCredential } from './credential-endpoint.js';
import { createLearnerLink, redeemLearnerLink } from './learner-link.js';
import type { OfferOptions, OfferResult, WalletDeps } from './types.js';

/** Most credential ids one batch offer request may name. */
export const MAX_BATCH = 500;

/** OID4VCI issuance for every institution: prepared credentials, offers, token, nonce, credential, learner links. */
export function createWalletService(input: Omit<WalletDeps, 'random'> & { random?: WalletDeps['random'] }) {
  const deps: WalletDeps = { ...input, random: input.random ?? randomBytes };
  const newId = () => `urn:uuid:${randomUUID()}`;
  const sourceDeps = { db: deps.db, credentials: deps.credentials, now: deps.now, newId };

  /** An active institution for the public protocol endpoints (disabled ones are not found). */
  async function activeInstitution(slug: string): Promise<InstitutionRecord> {
    const inst = await deps.institutions.getBySlug(slug);
    if (inst.status !== 'active') throw new NotFoundError('INSTITUTION_NOT_FOUND', `No institution "${slug}".`);
    return inst;
  }

  return {
    activeInstitution,

    /** Credential Issuer Metadata of an institution. */
    async issuerMetadata(slug: string) {
      return credentialIssuerMetadata(deps.publicUrl, await activeInstitution(slug));
    },

    /** OAuth Authorization Server Metadata of an institution. */
    async authorizationServerMetadata(slug: string) {
      return authorizationServerMetadata(deps.publicUrl, await activeInstitution(slug));
    },

    /** Store an unsigned credential to be signed when a wallet (or learner link) fetches it. */
    async prepare(institution: InstitutionRecord, body: IssueRequestBody, actor: Actor): Promise<{ id: string; created_at: string }> {
      checkPreparable(body);
      const id = newId();
      const now = deps.now();
      await deps.db.transaction(async (tx) => {
        await insertPrepared(tx, { id, institutionId: institution.id, body: structuredClone(body), createdAt: now, createdBy: `${actor.kind}:${actor.id}` });
        await appendAudit(tx, { actor, institutionId: institution.id, action: 'credential.prepared', targetType: 'credential', targetId: id, at: now });
      });
      return { id, created_at: now.toISOString() };
    },

    /** Create a credential offer for a prepared or issued credential of the institution. */
    async offer(institution: InstitutionRecord, credentialId: string, opts: OfferOptions, actor: Actor): Promise<OfferResult> {
      const prepared = await preparedFor(sourceDeps, institution, credentialId, actor);
      return createOffer(deps, institution, prepared, opts, actor);
    },

    /** Offers for many credentials; failures are reported per id, the rest still get offers. */
    async offerBatch(institution: InstitutionRecord, ids: string[], opts: OfferOptions, actor: Actor) {
      if (ids.length === 0 || ids.length > MAX_BATCH) throw new BadRequestError('BATCH_SIZE', `A batch names 1–${MAX_BATCH} credentials.`);
      const offers: OfferResult[] = [];
      const errors: Array<{ credential_id: string; code: string; message: string }> = [];
      for (const id of new Set(ids)) {
        try {
          offers.push(await createOffer(deps, institution, await preparedFor(sourceDeps, institution, id, actor), opts, actor));
        } catch (err) {
          const e = err as { code?: string; message: string; status?: number };
          if (!e.code || (e.status ?? 500) >= 500) throw err;
          errors.push({ credential_id: id, code: e.code, message: e.message });
        }
      }
      return { offers, errors };
    },

    /** The offer behind a credential_offer_uri. */
    async offerByHandle(slug: string, handle: string) {
      return offerByHandle(deps, await activeInstitution(slug), handle);
    },

    /** Offer status for its institution. */
    offerState: (institution: InstitutionRecord, offerId: string) => offerState(deps, institution, offerId),

    /** Token endpoint. */
    async token(slug: string, params: TokenParams) {
      return redeemPreAuthorizedCode(deps, await activeInstitution(slug), params);
    },

    /** Nonce endpoint. */
    async nonce(slug: string) {
      const inst = await activeInstitution(slug);
      return issueNonce(deps.db, { institutionId: inst.id, now: deps.now(), ttlSeconds: deps.settings.cNonceTtlSeconds, random: deps.random });
    },

    /** Credential endpoint. */
    async credential(slug: string, authorization: string | undefined, body: unknown) {
      return deliverCredential(deps, await activeInstitution(slug), authorization, body);
    },

    /** Create a one-time learner download link for a prepared or issued credential. */
    async learnerLink(institution: InstitutionRecord, credentialId: string, actor: Actor) {
      return createLearnerLink(deps, institution, await preparedFor(sourceDeps, institution, credentialId, actor), actor);
    },

    /** Redeem a learner link once. */
    redeemLearnerLink: (token: string) => redeemLearnerLink(deps, token),
  };
}

/** The wallet service's type. */
export type WalletService = ReturnType<typeof createWalletService>;

import { NotFoundError, AppError } from '../errors.js';
import type { Db } from '../store/index.js';
import { appendAudit, type Actor } from '../audit/index.js';
import { findCredential, type CredentialRecord } from '../credentials/index.js';
import type { InstitutionRecord } from '../institutions/index.js';
import { findShareToken, insertShareToken, newShareToken } from './share-tokens.js';
import { verifyForPage, type PageVerification, type PageVerifyRequest, type VerifyFn } from './page-verify.js';

/** A share link was unknown, for another credential, or its institution is gone. */
export class ShareLinkInvalidError extends NotFoundError {
  constructor() {
    super('SHARE_LINK_INVALID', 'This share link is not valid. Ask the learner or the issuer for a new one.');
  }
}

/** A share link is past its expiry date. */
export class ShareLinkExpiredError extends AppError {
  constructor(expiresAt: string) {
    super('SHARE_LINK_EXPIRED', `This share link expired on ${expiresAt.slice(0, 10)}. Ask the learner or the issuer for a new one.`, 410, { expiresAt });
  }
}

const DAY_MS = 86_400_000;
/** Default and maximum lifetime of a share link, in days. */
export const SHARE_DEFAULT_DAYS = 30;
export const SHARE_MAX_DAYS = 365;

/** The employer page's capability: verify for display, issue share links, render shared views. */
export function createWebService(deps: { db: Db; now: () => Date; publicUrl: string; verify: VerifyFn; newToken?: () => string }) {
  const newToken = deps.newToken ?? (() => newShareToken());

  async function sharedCredential(credentialId: string, token: string): Promise<CredentialRecord> {
    const t = token ? await findShareToken(deps.db, token) : undefined;
    if (!t || t.credentialId !== credentialId) throw new ShareLinkInvalidError();
    if (Date.parse(t.expiresAt) <= deps.now().getTime()) throw new ShareLinkExpiredError(t.expiresAt);
    const rec = await findCredential(deps.db, credentialId);
    if (!rec) throw new ShareLinkInvalidError();
    return rec;
  }

  return {
    /** Verify what the page submitted; the report plus display data. */
    verifyForPage(body: PageVerifyRequest): Promise<PageVerification> {
      return verifyForPage(body, deps.verify);
    },

    /** Create a share link for one of the institution's credentials. */
    async createShare(args: { institution: InstitutionRecord; credentialId: string; expiresInDays?: number; actor: Actor }): Promise<{ url: string; expiresAt: string }> {
      const rec = await findCredential(deps.db, args.credentialId);
      if (!rec || rec.institutionId !== args.institution.id) throw new NotFoundError('CREDENTIAL_NOT_FOUND', `No credential "${args.credentialId}" for this institution.`);
      const days = Math.min(Math.max(Math.floor(args.expiresInDays ?? SHARE_DEFAULT_DAYS), 1), SHARE_MAX_DAYS);
      const createdAt = deps.now();
      const expiresAt = new Date(createdAt.getTime() + days * DAY_MS);
      const token = newToken();
      await deps.db.transaction(async (tx) => {
        await insertShareToken(tx, { token, credentialId: rec.id, institutionId: rec.institutionId, createdAt, expiresAt });
        // The token is a bearer secret: the audit keeps only when and for how long.
        await appendAudit(tx, { actor: args.actor, institutionId: rec.institutionId, action: 'credential.shared', targetType: 'credential', targetId: rec.id, at: createdAt, detail: { expiresAt: expiresAt.toISOString() } });
      });
      const url = `${deps.publicUrl}/credentials/${encodeURIComponent(rec.id)}/view?token=${encodeURIComponent(token)}`;
      return { url, expiresAt: expiresAt.toISOString() };
    },

    /** Resolve a share link to its credential; throws SHARE_LINK_INVALID / SHARE_LINK_EXPIRED. */
    sharedCredential,

    /** Verify a shared credential now (revocation may have happened since the link was made). */
    async viewShared(credentialId: string, token: string): Promise<PageVerification & { credential: unknown }> {
      const rec = await sharedCredential(credentialId, token);
      const result = await verifyForPage({ verifiableCredential: rec.document }, deps.verify);
      return { ...result, credential: rec.document };
    },
  };
}

/** The web service's type. */
export type WebService = ReturnType<typeof createWebService>;

import { timingSafeEqual } from 'node:crypto';
import { appendAudit } from '../audit/index.js';
import type { InstitutionRecord } from '../institutions/index.js';
import { OAuthError } from './errors.js';
import { credentialIssuerId, PRE_AUTHORIZED_GRANT } from './metadata.js';
import { findOfferBy, insertAccessToken, markRedeemed, recordTxFailure } from './offers-repo.js';
import { issueNonce } from './nonce.js';
import { randomToken, secretHash } from './secrets.js';
import { grantedDetails, requestedConfigurations } from './authorization-details.js';
import type { WalletDeps } from './types.js';

/** Token endpoint parameters (form-urlencoded, single-valued). */
export type TokenParams = Record<string, string | undefined>;

const sameHash = (a: string, b: string) => timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/**
 * Redeem a pre-authorized code (OID4VCI 1.0 §6): single use, unexpired, tx_code checked with
 * at most N attempts (then the code dies), and a replay revokes the tokens already issued
 * for it (RFC 6749 §4.1.2). Returns an opaque access token bound to this offer only; with
 * `authorization_details` it covers only the configurations asked for, and the response names
 * them with their credential_identifiers (OID4VCI 1.0 §6.2). Invalid details leave the code unspent.
 */
export async function redeemPreAuthorizedCode(deps: WalletDeps, institution: InstitutionRecord, params: TokenParams): Promise<Record<string, unknown>> {
  const grantType = params.grant_type;
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
  if (grantType !== PRE_AUTHORIZED_GRANT) throw new OAuthError('unsupported_grant_type', `Only ${PRE_AUTHORIZED_GRANT} is supported.`);
  const code = params['pre-authorized_code'];
  if (!code) throw new OAuthError('invalid_request', 'pre-authorized_code is required.');
  const issuer = credentialIssuerId(deps.publicUrl, institution.slug);
  if (params.resource !== undefined && params.resource !== issuer) {
    throw new OAuthError('invalid_target', `resource must be the credential issuer ${issuer}.`);
  }
  const txCode = params.tx_code;
  const now = deps.now();
  const { settings } = deps;
  const outcome = await deps.db.transaction(async (tx): Promise<OAuthError | Record<string, unknown>> => {
    const offer = await findOfferBy(tx, 'code_hash', secretHash(code), true);
    if (!offer || offer.institution_id !== institution.id) return new OAuthError('invalid_grant', 'The pre-authorized code is not valid.');
    if (offer.status === 'redeemed') {
      await tx.query('DELETE FROM wallet_access_tokens WHERE offer_id = $1', [offer.id]);
      await appendAudit(tx, { actor: { kind: 'wallet', id: `offer:${offer.id}` }, institutionId: institution.id, action: 'offer.code_replayed', targetType: 'offer', targetId: offer.id, at: now });
      return new OAuthError('invalid_grant', 'The pre-authorized code was already used; tokens issued for it are revoked.');
    }
    if (offer.status === 'locked') return new OAuthError('invalid_grant', 'The pre-authorized code is no longer valid (too many wrong transaction codes).');
    if (new Date(offer.expires_at) <= now) return new OAuthError('invalid_grant', 'The pre-authorized code has expired.');
    if (offer.tx_code_hash) {
      if (txCode === undefined) return new OAuthError('invalid_request', 'This offer requires a tx_code.');
      if (!sameHash(secretHash(`${code}:${txCode}`), offer.tx_code_hash)) {
        const attempts = await recordTxFailure(tx, offer.id, settings.txCodeMaxAttempts);
        const left = Math.max(0, settings.txCodeMaxAttempts - attempts);
        if (left === 0) {
          await appendAudit(tx, { actor: { kind: 'wallet', id: `offer:${offer.id}` }, institutionId: institution.id, action: 'offer.locked', targetType: 'offer', targetId: offer.id, at: now, detail: { attempts } });
        }
        return new OAuthError('invalid_grant', left > 0 ? `The tx_code is wrong; ${left} attempt(s) left.` : 'The tx_code is wrong; the pre-authorized code is now invalid.');
      }
    } else if (txCode !== undefined) {
      return new OAuthError('invalid_request', 'This offer does not use a tx_code.');
    }
    let granted: string[] | undefined;
    try {
      granted = requestedConfigurations(params.authorization_details, offer.configuration_ids, issuer);
    } catch (err) {
      if (err instanceof OAuthError) return err;
      throw err;
    }
    if (!(await markRedeemed(tx, offer.id, now))) return new OAuthError('invalid_grant', 'The pre-authorized code was already used.');
    const accessToken = randomToken(deps.random);
    await insertAccessToken(tx, {
      tokenHash: secretHash(accessToken), offerId: offer.id, institutionId: institution.id,
      expiresAt: new Date(now.getTime() + settings.accessTokenTtlSeconds * 1000), ...(granted ? { configurationIds: granted } : {}),
    });
    const nonce = await issueNonce(tx, { institutionId: institution.id, now, ttlSeconds: settings.cNonceTtlSeconds, random: deps.random });
    await appendAudit(tx, { actor: { kind: 'wallet', id: `offer:${offer.id}` }, institutionId: institution.id, action: 'offer.redeemed', targetType: 'offer', targetId: offer.id, at: now, ...(granted ? { detail: { configurationIds: granted } } : {}) });
    // c_nonce here is a draft-13 courtesy; 1.0 wallets use the nonce endpoint.
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: settings.accessTokenTtlSeconds,
      ...(granted ? { authorization_details: grantedDetails(granted) } : {}),
      ...nonce,
    };
  });
  if (outcome instanceof OAuthError) throw outcome;
  return outcome;
}

import { appendAudit } from '../audit/index.js';
import { isUniqueViolation } from '../store/index.js';
import type { InstitutionRecord } from '../institutions/index.js';
import { OAuthError } from './errors.js';
import { mechanismFor } from './configurations.js';
import { parseCredentialRequest } from './credential-request.js';
import { credentialIssuerId } from './metadata.js';
import { consumeNonce, issueNonce } from './nonce.js';
import { deliveredConfigurations, findAccessToken, findOfferBy, insertDelivery } from './offers-repo.js';
import { findPrepared } from './prepared-repo.js';
import { verifyKeyProof } from './proof.js';
import { secretHash } from './secrets.js';
import { scopeOf } from './token-scope.js';
import type { WalletDeps } from './types.js';

// The auth scheme is case-insensitive (RFC 9110 §11.1); the token is an RFC 6750 b64token.
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;

function invalidToken(description: string): OAuthError {
  return new OAuthError('invalid_token', description, 401);
}

async function freshNonce(deps: WalletDeps, institutionId: string): Promise<Record<string, unknown>> {
  return issueNonce(deps.db, { institutionId, now: deps.now(), ttlSeconds: deps.settings.cNonceTtlSeconds, random: deps.random });
}

/**
 * The credential endpoint (OID4VCI 1.0 §8): a Bearer access token bound to one offer, a key
 * proof with a fresh c_nonce; the prepared credential is signed now, bound to the holder's DID
 * (credentialSubject.id; did:jwk for a bare `jwk` key), stored with its status entries, and
 * the delivery audited. Each configuration of an offer is delivered once, and only those the
 * token's scope covers.
 */
export async function deliverCredential(deps: WalletDeps, institution: InstitutionRecord, authorization: string | undefined, body: unknown): Promise<Record<string, unknown>> {
  const m = authorization ? BEARER.exec(authorization) : null;
  if (!m) throw invalidToken('A Bearer access token from the token endpoint is required.');
  const now = deps.now();
  const tokenHash = secretHash(m[1]!);
  const token = await findAccessToken(deps.db, tokenHash, now);
  if (!token || token.institution_id !== institution.id) throw invalidToken('The access token is unknown, expired or for another issuer.');
  const offer = await findOfferBy(deps.db, 'id', token.offer_id);
  if (!offer) throw invalidToken('The access token is no longer valid.');
  const scope = scopeOf(token.configuration_ids, offer.configuration_ids);
  const request = parseCredentialRequest(body, scope);
  const issuer = credentialIssuerId(deps.publicUrl, institution.slug);
  const proof = await verifyKeyProof(request.proofJwt, { audience: issuer, now, iatWindowSeconds: deps.settings.proofIatWindowSeconds, resolver: deps.resolver });
  const configId = request.configuration.id;
  const use = { tokenHash, configurationId: configId, otherConfigurationIds: scope.configurationIds.filter((id) => id !== configId) };
  if (!(await deps.db.transaction((tx) => consumeNonce(tx, { institutionId: institution.id, nonce: proof.nonce, now, use })))) {
    throw new OAuthError('invalid_nonce', 'The proof nonce is unknown, used or expired; retry with this c_nonce.', 400, await freshNonce(deps, institution.id));
  }
  if ((await deliveredConfigurations(deps.db, offer.id)).includes(configId)) {
    throw new OAuthError('credential_request_denied', `The ${configId} credential of this offer was already delivered.`);
  }
  const prepared = await findPrepared(deps.db, offer.prepared_id);
  if (!prepared) throw new OAuthError('credential_request_denied', 'The offered credential no longer exists.');
  const credential = structuredClone(prepared.body.credential);
  const subject = credential.credentialSubject as Record<string, unknown>;
  // A subject already identified by a DID may only be delivered to that DID's keys.
  if (typeof subject.id === 'string' && subject.id.startsWith('did:') && subject.id !== proof.holder) {
    throw new OAuthError('invalid_proof', 'The credential is for another holder DID than the proof key.');
  }
  subject.id = proof.holder;
  const mechanism = mechanismFor(request.configuration, prepared.body.options?.mechanism);
  const actor = { kind: 'wallet' as const, id: `offer:${offer.id}` };
  const { record, persist } = await deps.credentials.signAndStore(institution, { credential, options: { ...prepared.body.options, mechanism } }, actor, 'vc');
  try {
    await deps.db.transaction(async (tx) => {
      await persist(tx);
      await insertDelivery(tx, { credentialId: record.id, institutionId: institution.id, preparedId: prepared.id, offerId: offer.id, configurationId: configId, holder: proof.holder, sourceCredentialId: prepared.sourceCredentialId, at: now });
      await appendAudit(tx, {
        actor,
        institutionId: institution.id,
        action: 'credential.delivered',
        targetType: 'credential',
        targetId: record.id,
        at: now,
        detail: { offerId: offer.id, preparedId: prepared.id, configurationId: configId, holder: proof.holder, binding: proof.binding, mechanism, ...(prepared.sourceCredentialId ? { reissueOf: prepared.sourceCredentialId } : {}) },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new OAuthError('credential_request_denied', `The ${configId} credential of this offer was already delivered.`);
    throw err;
  }
  const issued = request.configuration.format === 'vc+jwt' ? record.jwt : record.document;
  if (request.legacy) return { credential: issued, ...(await freshNonce(deps, institution.id)) };
  return { credentials: [{ credential: issued }] };
}

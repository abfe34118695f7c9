import { appendAudit, type Actor } from '../audit/index.js';
import { NotFoundError } from '../errors.js';
import type { InstitutionRecord } from '../institutions/index.js';
import { findInstitutionById } from '../institutions/index.js';
import { findCredential } from '../credentials/index.js';
import { createOffer } from './offers.js';
import { insertDelivery } from './offers-repo.js';
import { findPrepared, type PreparedRecord } from './prepared-repo.js';
import { randomToken, secretHash } from './secrets.js';
import type { OfferResult, WalletDeps } from './types.js';

/** Create a one-time learner download link (token stored hashed). */
export async function createLearnerLink(deps: WalletDeps, institution: InstitutionRecord, prepared: PreparedRecord, actor: Actor): Promise<{ url: string; expires_at: string }> {
  const token = randomToken(deps.random);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.settings.learnerLinkTtlSeconds * 1000);
  await deps.db.transaction(async (tx) => {
    await tx.query('INSERT INTO wallet_learner_links (token_hash, institution_id, prepared_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      secretHash(token),
      institution.id,
      prepared.id,
      now,
      expiresAt,
    ]);
    await appendAudit(tx, { actor, institutionId: institution.id, action: 'learner_link.created', targetType: 'credential', targetId: prepared.sourceCredentialId ?? prepared.id, at: now, detail: { expiresAt: expiresAt.toISOString() } });
  });
  return { url: `${deps.publicUrl}/l/${token}`, expires_at: expiresAt.toISOString() };
}

const gone = () => new NotFoundError('LEARNER_LINK_INVALID', 'This download link is unknown, was already used or has expired.');

/**
 * Redeem a learner link once: the credential file (an issued credential as issued; a prepared
 * one signed now, without holder binding, and stored) plus a fresh wallet offer for it.
 */
export async function redeemLearnerLink(
  deps: WalletDeps,
  token: string,
): Promise<{ verifiableCredential: unknown; offer: OfferResult; credentialId: string; institution: InstitutionRecord }> {
  const now = deps.now();
  const hash = secretHash(token);
  const { rows } = await deps.db.query<{ institution_id: string; prepared_id: string }>(
    'SELECT institution_id, prepared_id FROM wallet_learner_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
    [hash, now],
  );
  const link = rows[0];
  if (!link) throw gone();
  const institution = await findInstitutionById(deps.db, link.institution_id);
  const prepared = await findPrepared(deps.db, link.prepared_id);
  if (!institution || institution.status !== 'active' || !prepared) throw gone();
  const actor: Actor = { kind: 'wallet', id: 'learner-link' };
  const claim = async (tx: Parameters<Parameters<typeof deps.db.transaction>[0]>[0]) => {
    const res = await tx.query('UPDATE wallet_learner_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL', [hash, now]);
    if (res.rowCount !== 1) throw gone();
  };
  let verifiableCredential: unknown;
  let credentialId: string;
  if (prepared.sourceCredentialId) {
    const issued = await findCredential(deps.db, prepared.sourceCredentialId);
    if (!issued) throw gone();
    verifiableCredential = issued.jwt ?? issued.document;
    credentialId = issued.id;
    await deps.db.transaction(async (tx) => {
      await claim(tx);
      await appendAudit(tx, { actor, institutionId: institution.id, action: 'learner_link.used', targetType: 'credential', targetId: issued.id, at: now });
    });
  } else {
    const { record, persist } = await deps.credentials.signAndStore(institution, prepared.body, actor, 'vc');
    verifiableCredential = record.jwt ?? record.document;
    credentialId = record.id;
    await deps.db.transaction(async (tx) => {
      await claim(tx);
      await persist(tx);
      await insertDelivery(tx, { credentialId: record.id, institutionId: institution.id, preparedId: prepared.id, offerId: null, configurationId: null, holder: null, sourceCredentialId: null, at: now });
      await appendAudit(tx, { actor, institutionId: institution.id, action: 'learner_link.used', targetType: 'credential', targetId: record.id, at: now });
    });
  }
  // The link itself was the secret channel, so its offer needs no separate tx_code.
  const offer = await createOffer(deps, institution, prepared, { txCode: false }, actor);
  return { verifiableCredential, offer, credentialId, institution };
}

import { randomUUID } from 'node:crypto';
import { BadRequestError, NotFoundError } from '../errors.js';
import { appendAudit, type Actor } from '../audit/index.js';
import type { InstitutionRecord } from '../institutions/index.js';
import { configurationsFor } from './configurations.js';
import { credentialIssuerId, PRE_AUTHORIZED_GRANT } from './metadata.js';
import { findOfferBy, insertOffer, type OfferRow } from './offers-repo.js';
import type { PreparedRecord } from './prepared-repo.js';
import { qrImages } from './qr.js';
import { codeFromHandle, randomDigits, randomToken, secretHash } from './secrets.js';
import type { OfferOptions, OfferResult, WalletDeps } from './types.js';

/** The Credential Offer object (OID4VCI 1.0 §4.1.1). */
export function offerObject(issuer: string, configurationIds: string[], code: string, txLength: number | null): Record<string, unknown> {
  const grant: Record<string, unknown> = { 'pre-authorized_code': code };
  if (txLength) {
    grant.tx_code = { input_mode: 'numeric', length: txLength, description: 'Enter the code your institution sent you separately (e-mail or text message).' };
  }
  return { credential_issuer: issuer, credential_configuration_ids: configurationIds, grants: { [PRE_AUTHORIZED_GRANT]: grant } };
}

/** The URL a wallet fetches the offer from; the handle sits in `?token=` so request logs redact it. */
export function offerUri(issuer: string, handle: string): string {
  return `${issuer}/credential-offer?token=${handle}`;
}

function pickConfigurations(prepared: PreparedRecord, wanted: string[] | undefined): string[] {
  const fit = configurationsFor(prepared.body.credential).map((c) => c.id);
  if (!wanted || wanted.length === 0) return fit;
  const bad = wanted.filter((id) => !fit.includes(id));
  if (bad.length) {
    throw new BadRequestError('UNSUPPORTED_CREDENTIAL_CONFIGURATION', `This credential cannot be delivered as ${bad.join(', ')}.`, { available: fit });
  }
  return [...new Set(wanted)];
}

/** Create an offer for a prepared record: new pre-authorized code (and tx_code), stored hashed. */
export async function createOffer(deps: WalletDeps, institution: InstitutionRecord, prepared: PreparedRecord, opts: OfferOptions, actor: Actor): Promise<OfferResult> {
  const configurationIds = pickConfigurations(prepared, opts.configurationIds);
  const issuer = credentialIssuerId(deps.publicUrl, institution.slug);
  const now = deps.now();
  const ttl = opts.ttlSeconds ?? deps.settings.offerTtlSeconds;
  const expiresAt = new Date(now.getTime() + ttl * 1000);
  const handle = randomToken(deps.random);
  const code = codeFromHandle(handle);
  const txLength = opts.txCode === false ? null : deps.settings.txCodeLength;
  const txCode = txLength ? randomDigits(deps.random, txLength) : undefined;
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    await insertOffer(tx, {
      id,
      institution_id: institution.id,
      prepared_id: prepared.id,
      configuration_ids: configurationIds,
      handle_hash: secretHash(handle),
      code_hash: secretHash(code),
      tx_code_hash: txCode ? secretHash(`${code}:${txCode}`) : null,
      tx_code_length: txLength,
      created_at: now,
      expires_at: expiresAt,
    });
    await appendAudit(tx, { actor, institutionId: institution.id, action: 'offer.created', targetType: 'offer', targetId: id, at: now, detail: { credentialId: prepared.sourceCredentialId ?? prepared.id, preparedId: prepared.id, configurationIds, txCode: Boolean(txCode), expiresAt: expiresAt.toISOString() } });
  });
  const offer = offerObject(issuer, configurationIds, code, txLength);
  const uri = offerUri(issuer, handle);
  const deepLink = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(uri)}`;
  return {
    offer_id: id,
    credential_id: prepared.sourceCredentialId ?? prepared.id,
    credential_offer: offer,
    credential_offer_uri: uri,
    deep_link: deepLink,
    deep_link_by_value: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
    ...(opts.qr === false ? {} : { qr: await qrImages(deepLink) }),
    ...(txCode ? { tx_code: txCode } : {}),
    expires_at: expiresAt.toISOString(),
  };
}

/** The offer behind a credential_offer_uri handle, while it can still be redeemed. */
export async function offerByHandle(deps: WalletDeps, institution: InstitutionRecord, handle: string): Promise<Record<string, unknown>> {
  const row = await findOfferBy(deps.db, 'handle_hash', secretHash(handle));
  if (!row || row.institution_id !== institution.id || row.status !== 'offered' || new Date(row.expires_at) <= deps.now()) {
    throw new NotFoundError('OFFER_NOT_FOUND', 'No open credential offer for this link; it was used, has expired or never existed.');
  }
  const issuer = credentialIssuerId(deps.publicUrl, institution.slug);
  return offerObject(issuer, row.configuration_ids, codeFromHandle(handle), row.tx_code_hash ? row.tx_code_length : null);
}

/** Offer state for the institution (never secrets). */
export async function offerState(deps: WalletDeps, institution: InstitutionRecord, offerId: string): Promise<Record<string, unknown>> {
  const row: OfferRow | undefined = /^[0-9a-f-]{36}$/i.test(offerId) ? await findOfferBy(deps.db, 'id', offerId) : undefined;
  if (!row || row.institution_id !== institution.id) throw new NotFoundError('OFFER_NOT_FOUND', `No offer "${offerId}" for this institution.`);
  const { rows } = await deps.db.query<{ credential_id: string; configuration_id: string; holder: string; delivered_at: Date | string }>(
    'SELECT credential_id, configuration_id, holder, delivered_at FROM wallet_deliveries WHERE offer_id = $1 ORDER BY delivered_at',
    [row.id],
  );
  const expired = row.status === 'offered' && new Date(row.expires_at) <= deps.now();
  return {
    offer_id: row.id,
    credential_id: row.prepared_id,
    status: expired ? 'expired' : row.status,
    configuration_ids: row.configuration_ids,
    created_at: new Date(row.created_at).toISOString(),
    expires_at: new Date(row.expires_at).toISOString(),
    ...(row.redeemed_at ? { redeemed_at: new Date(row.redeemed_at).toISOString() } : {}),
    deliveries: rows.map((r) => ({ credential_id: r.credential_id, configuration_id: r.configuration_id, holder: r.holder, delivered_at: new Date(r.delivered_at).toISOString() })),
  };
}

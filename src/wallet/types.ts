import type { Db } from '../store/index.js';
import type { InstitutionService } from '../institutions/index.js';
import type { CredentialService } from '../credentials/index.js';
import type { DidResolver } from '../did/index.js';
import type { RandomBytes } from './secrets.js';

/** Lifetimes and limits of the OID4VCI flow (from config). */
export interface WalletSettings {
  offerTtlSeconds: number;
  txCodeLength: number;
  txCodeMaxAttempts: number;
  accessTokenTtlSeconds: number;
  cNonceTtlSeconds: number;
  proofIatWindowSeconds: number;
  learnerLinkTtlSeconds: number;
}

/** What the wallet service needs; time and randomness are injected. */
export interface WalletDeps {
  db: Db;
  institutions: InstitutionService;
  credentials: CredentialService;
  resolver: DidResolver;
  now: () => Date;
  random: RandomBytes;
  publicUrl: string;
  settings: WalletSettings;
}

/** Options of an offer. */
export interface OfferOptions {
  /** Require a transaction code (default true). */
  txCode?: boolean;
  /** Subset of the credential's configurations to offer (default: all that fit). */
  configurationIds?: string[];
  /** Shorter or longer lifetime than OFFER_TTL_SECONDS (30 s – 30 days). */
  ttlSeconds?: number;
  /** Render QR codes (default true). */
  qr?: boolean;
}

/** What POST …/offers returns. */
export interface OfferResult {
  offer_id: string;
  credential_id: string;
  credential_offer: Record<string, unknown>;
  credential_offer_uri: string;
  /** openid-credential-offer://?credential_offer_uri=… (what the QR code holds). */
  deep_link: string;
  /** openid-credential-offer://?credential_offer=… (by value, for wallets without offer URIs). */
  deep_link_by_value: string;
  qr?: { png: string; svg: string };
  tx_code?: string;
  expires_at: string;
}

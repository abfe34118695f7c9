export { createWalletService, MAX_BATCH, type WalletService } from './service.js';
export { OAuthError, oauthDescription, type OAuthErrorValue } from './errors.js';
export { CONFIGURATIONS, PROOF_ALGS, configurationsFor, configurationById, type CredentialConfiguration, type CredentialFormat, type DataModel } from './configurations.js';
export { credentialIssuerId, credentialIssuerMetadata, authorizationServerMetadata, PRE_AUTHORIZED_GRANT } from './metadata.js';
export { verifyKeyProof, didJwkOf, type VerifiedProof } from './proof.js';
export { qrImages, type QrImages } from './qr.js';
export type { WalletDeps, WalletSettings, OfferOptions, OfferResult } from './types.js';

export { createWebService, ShareLinkInvalidError, ShareLinkExpiredError, SHARE_DEFAULT_DAYS, SHARE_MAX_DAYS, type WebService } from './service.js';
export { verifyForPage, type PageVerification, type PageVerifyRequest, type VerifyFn } from './page-verify.js';
export { displayOf, type CredentialDisplay } from './display.js';
export { loadWebAssets, ASSET_NAMES, type Asset, type WebAssets } from './assets.js';
export { PAGE_CSP, pageHeaders, jsonForHtml } from './headers.js';
export { hashShareToken, newShareToken, findShareToken, type ShareTokenRecord } from './share-tokens.js';

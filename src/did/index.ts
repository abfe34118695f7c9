export { createResolver, resolutionError } from './resolver.js';
export { DidError, type DidErrorCode } from './errors.js';
export { findVerificationMethod } from './dereference.js';
export { didWebToUrl, type DidWebTarget } from './did-web-url.js';
export { isPublicAddress, assertPublicHost, defaultLookup } from './host-guard.js';
export { readCapped } from './read-capped.js';
export { assertPublicJwk, multikeyToJwk, multikeyAlgorithm, verificationMethodToJwk, type PublicJwk, type PublicKeyAlgorithm } from './key-codec.js';
export type {
  DidDocument,
  DidResolutionResult,
  DidResolver,
  DereferencedMethod,
  LookupFn,
  ResolverOptions,
  VerificationMethod,
  VerificationRelationshipName,
} from './types.js';
export { buildDidWebDocument, didWebFromUrl, didWebDocumentPath, type IssuerDidDocument } from './document.js';
export { createPublicOnlyFetch } from './public-fetch.js';

export { createCredentialService } from './service.js';
export type { CredentialService, IssueRequestBody, IssueHooks } from './service.js';
export { findCredential, type CredentialRecord } from './repo.js';
export { withIdempotency, requestHash, type Persist, type StoredResponse } from './idempotency.js';

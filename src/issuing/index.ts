export { issueCredential } from './issue.js';
export { prepareCredential, detectDataModelVersion, issuerIdOf, xsdDateTime } from './prepare.js';
export { signDataIntegrity } from './data-integrity.js';
export { signVcJwt, envelope } from './vc-jwt.js';
export type {
  Credential, DataModelVersion, DataIntegritySuite, Mechanism, PrepareOptions, DataIntegrityOptions, VcJwtOptions, IssueOptions, IssueResult,
} from './types.js';

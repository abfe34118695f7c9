export type {
  AccreditationLimits, AccreditationRecord, LegalIdentifiers, OrganisationInput, OrganisationKind, OrganisationRecord,
  OrganisationRef, QualificationRef, TrustSnapshot, TrustSource,
} from './types.js';
export { createRegistryRepo } from './registry-repo.js';
export type { OrganisationLookup, RegistryRepo, RegistryRepoDeps, UpsertAccreditationOptions } from './registry-repo.js';
export { readAccreditationNode, cleanAccreditationNode } from './accreditation-node.js';
export { importQdrAccreditation, normaliseQdrAccreditation } from './qdr-import.js';
export type { NormalisedQdrAccreditation } from './qdr-import.js';
export { loadTrustList, readTrustList, parseTrustList, applyTrustList, trustListSchema } from './trust-list.js';
export type { TrustList, TrustListLoadResult, TrustListOrganisation } from './trust-list.js';
export { checkIssuerTrust } from './check-issuer-trust.js';
export { checkAccreditation } from './check-accreditation.js';
export type { CheckAccreditationInput } from './check-accreditation.js';
export { ACCREDITATION_CODES } from './evaluate-accreditation.js';
export type { AccreditationCheckOptions, AccreditationFailure } from './evaluate-accreditation.js';
export { readCredentialFacts } from './credential-claims.js';
export type { ClaimedAccreditation, CredentialFacts } from './credential-claims.js';
export { cachedRegistryReader, checkIssuerTrustInRegistry, checkAccreditationInRegistry, fetchSnapshotForCredential } from './registry-checks.js';
export type { RegistryReader } from './registry-checks.js';
export {
  ACCREDITATION_CREDENTIAL_CONTEXT, buildAccreditationCredential, evaluateAccreditationChain, storeAccreditationCredential,
} from './accreditation-credential.js';
export type { BuildAccreditationCredentialInput, EvaluateAccreditationChainInput, VerifyCredentialFn } from './accreditation-credential.js';
export { fieldCovers, jurisdictionCovers, describeEqfLevels } from './scope.js';
export { AccreditationRecordError, OrganisationIdentifierError, TrustListError } from './trust-errors.js';
export { registryChecks, accreditationWithChains, chainVerifierFor } from './verifier-checks.js';
export { createRegistryAdmin, registryInTransaction, RegistryNotFoundError } from './registry-admin.js';
export type { AdminOrganisationInput, RegistryAdmin } from './registry-admin.js';
export { issueAccreditationCredential } from './issue-accreditation.js';
export type { AccreditationIssuer, IssueAccreditationDeps, SignAndStoreFn } from './issue-accreditation.js';
export { presentOrganisation, presentAccreditation } from './present.js';

export { createInstitutionService } from './service.js';
export type { InstitutionService, InstitutionCreateInput, InstitutionRecord, InstitutionSigners } from './service.js';
export type { Institution, LegalIdentifiers } from './types.js';
export type { InstitutionSettings } from './repo.js';
export { findInstitutionByDid, findInstitutionById, findInstitutionBySlug } from './repo.js';
export { insertKey, listKeys, retireKey, type KeyRow } from './keys-repo.js';

export { validateMicroCredentialRequest, microCredentialRequestSchema } from './validate-request.js';
export type { MicroCredentialRequest, LangText, ReferenceInput } from './request-types.js';
export {
  concept, conceptNode, findConcept, lookupConcept, getVocabulary, allowedCodes, labelForUri,
} from './vocabularies.js';
export type { ConceptNode, Vocabulary, VocabularyConcept, VocabularyName } from './vocabularies.js';
export { buildMicroCredential, accreditationsOf } from './build-micro-credential.js';
export type { BuildOptions } from './build-micro-credential.js';
export { accreditationForCredential, ELM_CREDENTIAL_CONTEXT } from './accreditation-node.js';
export { annexIReport, isElmCredential, MANDATORY_ELEMENTS, OPTIONAL_ELEMENTS, ANNEX_I_LABELS } from './annex-i.js';
export type { AnnexIReport, AnnexIElement, MandatoryElement, OptionalElement } from './annex-i.js';
export { annexIRequestReport, assertAnnexIComplete } from './annex-i-request.js';
export type { AnnexIRequestReport, MissingRequestElement } from './annex-i-request.js';
export { checkMicroCredentialCompleteness, completenessCheck } from './check-completeness.js';
export { summarize } from './summarize.js';
export { iso639_1Of } from './lang.js';
export type { CredentialSummary } from './summarize.js';
export { renderCardSvg } from './display.js';

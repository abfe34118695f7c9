import { AppError, BadRequestError } from '../errors.js';

/** An accreditation record (QDR-framed or ELM node) lacks what the registry needs. */
export class AccreditationRecordError extends BadRequestError {
  constructor(message: string, detail?: Record<string, unknown>) {
    super('ACCREDITATION_RECORD_INVALID', message, detail);
  }
}

/** An organisation given to the registry cannot be identified (no DID, URI or legal identifier). */
export class OrganisationIdentifierError extends BadRequestError {
  constructor(message: string, detail?: Record<string, unknown>) {
    super('ORGANISATION_IDENTIFIER_REQUIRED', message, detail);
  }
}

/** A trust-list file is unreadable, not JSON, or fails its schema; the message names the path. */
export class TrustListError extends AppError {
  constructor(message: string, detail: Record<string, unknown>, options?: { cause?: unknown }) {
    super('TRUST_LIST_INVALID', message, 400, detail, options);
  }
}

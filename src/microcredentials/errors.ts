/** Errors of micro-credential templates and batches (codes listed in docs/errors.md). */
import { AppError, BadRequestError, NotFoundError } from '../errors.js';

/** A template id that does not exist for this institution (404). */
export const templateNotFound = (id: string): AppError => new NotFoundError('TEMPLATE_NOT_FOUND', `No template "${id}" for this institution.`);

/** A batch id that does not exist for this institution (404). */
export const batchNotFound = (id: string): AppError => new NotFoundError('BATCH_NOT_FOUND', `No batch "${id}" for this institution.`);

/** A template body that is not a course specification (400). */
export const templateInvalid = (message: string, detail?: Record<string, unknown>): AppError => new BadRequestError('TEMPLATE_INVALID', message, detail);

/** A CSV upload that cannot be read as a whole (400). */
export const csvInvalid = (message: string, detail?: Record<string, unknown>): AppError => new BadRequestError('CSV_INVALID', message, detail);

/** A batch upload larger than the route allows (413). */
export class BatchTooLargeError extends AppError {
  constructor(limit: number) {
    super('BATCH_TOO_LARGE', `The batch upload exceeds ${limit} bytes; split it into several batches.`, 413, { limit });
  }
}

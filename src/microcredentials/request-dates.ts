/** Date plausibility of a request, against the issuing time: what the schema's formats cannot say. */
import type { MicroCredentialRequest } from '../elm/index.js';
import { BadRequestError } from '../errors.js';

/** The issuing clock and the skew allowed between the client's clock and ours. */
export interface IssuingClock { now: Date; clockSkewSeconds: number }

/**
 * Refuses an award made after the credential is issued (beyond the clock skew) and a learner born
 * in the future or not before the award: typically swapped day/month or a wrong century, which
 * would otherwise be signed and verify as valid.
 */
export function assertPlausibleDates(request: MicroCredentialRequest, clock: IssuingClock): void {
  const now = clock.now.getTime();
  const awarded = request.awardedDate === undefined ? now : Date.parse(request.awardedDate);
  // The schema's date-time format admits a leap second (:60), which no clock here can place.
  if (Number.isNaN(awarded)) {
    throw new BadRequestError('INVALID_REQUEST', `awardedDate "${request.awardedDate}" is not an instant this service can place in time (leap seconds are not supported).`, { awardedDate: request.awardedDate });
  }
  if (awarded > now + clock.clockSkewSeconds * 1000) {
    throw new BadRequestError('AWARDED_DATE_IN_FUTURE', `awardedDate "${request.awardedDate}" is later than the issuing time ${clock.now.toISOString()}.`,
      { awardedDate: request.awardedDate, issued: clock.now.toISOString() });
  }
  const birth = request.learner.dateOfBirth;
  if (birth === undefined) return;
  // A date of birth is a calendar day (midnight UTC, as written into the credential).
  const born = Date.parse(`${birth}T00:00:00Z`);
  if (Number.isNaN(born)) throw new BadRequestError('INVALID_REQUEST', `learner.dateOfBirth "${birth}" is not a calendar date.`, { dateOfBirth: birth });
  if (born > now) {
    throw new BadRequestError('DATE_OF_BIRTH_IN_FUTURE', `learner.dateOfBirth "${birth}" is in the future.`, { dateOfBirth: birth, issued: clock.now.toISOString() });
  }
  const awardDay = new Date(awarded).toISOString().slice(0, 10);
  if (birth >= awardDay) {
    throw new BadRequestError('DATE_OF_BIRTH_AFTER_AWARD', `learner.dateOfBirth "${birth}" is not before the award date ${awardDay}.`,
      { dateOfBirth: birth, awardedDate: request.awardedDate ?? clock.now.toISOString() });
  }
}

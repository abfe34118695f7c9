/** The bulk CSV format: one learner per row, per-learner columns only (the course comes from the template). */
import { csvInvalid } from './errors.js';

/** Every column a batch CSV may have; given_name and family_name are required. */
export const CSV_COLUMNS = [
  'row_key', 'given_name', 'family_name', 'email', 'date_of_birth', 'student_id', 'national_id', 'national_id_country', 'learner_did',
  'grade', 'supervision', 'awarded_date', 'valid_from', 'valid_until', 'identifier',
] as const;
const REQUIRED = ['given_name', 'family_name'];
const KNOWN: ReadonlySet<string> = new Set(CSV_COLUMNS);

const MAX_LISTED = 20;
const listed = (names: string[]): string =>
  names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more` : names.join(', ');

/** Checks a CSV header line: known columns only, no repeats, the required ones present. */
export function checkCsvHeader(header: readonly string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  // Each name once, and at most MAX_LISTED in the message: a header may be thousands of columns long.
  const unknown = [...new Set(names.filter((n) => !KNOWN.has(n)))];
  if (unknown.length > 0) throw csvInvalid(`Unknown CSV column(s): ${listed(unknown)}.`, { unknown: unknown.slice(0, MAX_LISTED), allowed: [...CSV_COLUMNS] });
  const seen = new Set<string>();
  const repeated = [...new Set(names.filter((n) => seen.size === seen.add(n).size))];
  if (repeated.length > 0) throw csvInvalid(`Repeated CSV column(s): ${listed(repeated)}.`, { repeated });
  const missing = REQUIRED.filter((r) => !names.includes(r));
  if (missing.length > 0) throw csvInvalid(`Missing required CSV column(s): ${missing.join(', ')}.`, { missing, allowed: [...CSV_COLUMNS] });
  return names;
}

// A bare date is accepted where the request wants a date-time: midnight UTC of that day.
const dateTime = (v: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);

/**
 * Maps one CSV record (column → non-empty cell) to request fields. Values are not checked
 * here: the request schema checks them per row, so a bad cell fails its row alone.
 */
export function csvRecordToFields(rec: Readonly<Record<string, string>>): Record<string, unknown> {
  const v = (k: string): string | undefined => (rec[k] === undefined || rec[k] === '' ? undefined : rec[k]);
  const learner: Record<string, unknown> = { givenName: v('given_name'), familyName: v('family_name') };
  if (v('email')) learner['email'] = v('email');
  if (v('date_of_birth')) learner['dateOfBirth'] = v('date_of_birth');
  if (v('student_id')) learner['studentId'] = v('student_id');
  if (v('learner_did')) learner['id'] = v('learner_did');
  if (v('national_id') || v('national_id_country')) learner['nationalId'] = { value: v('national_id'), country: v('national_id_country') };
  const fields: Record<string, unknown> = { learner };
  const assessment: Record<string, unknown> = {};
  if (v('grade')) assessment['grade'] = v('grade');
  if (v('supervision')) assessment['supervision'] = v('supervision');
  if (Object.keys(assessment).length > 0) fields['assessment'] = assessment;
  if (v('awarded_date')) fields['awardedDate'] = dateTime(v('awarded_date')!);
  if (v('valid_from')) fields['validFrom'] = dateTime(v('valid_from')!);
  if (v('valid_until')) fields['validUntil'] = dateTime(v('valid_until')!);
  if (v('identifier')) fields['identifier'] = v('identifier');
  // Undefined names stay undefined so the schema reports them as missing, per row.
  for (const k of Object.keys(learner)) if (learner[k] === undefined) delete learner[k];
  return fields;
}

/** Keeps only the non-empty cells of a parsed record (smaller rows in the store). */
export function compactRecord(rec: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec)) if (val !== '') out[k] = val;
  return out;
}

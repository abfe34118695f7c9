import { isUrl } from '../verifying/index.js';
/** A BitstringStatusListEntry's values as the checker uses them. */
export interface EntryValues {
  purpose: string;
  url: string;
  /** The position in the list; +Infinity for an index longer than any list could be. */
  index: number;
  /** Bits per entry (1 when statusSize is absent). */
  size: number;
}

/** The entry's values, or the Bitstring Status List rule it breaks (reported as MALFORMED_VALUE_ERROR). */
export type ReadEntryResult = { ok: true; values: EntryValues } | { ok: false; message: string };

const DIGITS = /^[0-9]+$/;
const HEX_STATUS = /^0x[0-9a-fA-F]+$/;

function isMessage(m: unknown): boolean {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const { status, message } = m as Record<string, unknown>;
  return typeof status === 'string' && HEX_STATUS.test(status) && typeof message === 'string';
}

/**
 * Read a BitstringStatusListEntry under the data-model MUSTs of Bitstring Status List v1.0 §2.1.
 * A value breaking one of them makes the entry non-conforming, which a processor must report
 * rather than interpret.
 */
export function readEntry(entry: Record<string, unknown>): ReadEntryResult {
  const bad = (message: string): ReadEntryResult => ({ ok: false, message });
  const { statusPurpose: purpose, statusListCredential: url, statusListIndex: rawIndex, statusSize, statusMessage } = entry;
  if (typeof purpose !== 'string' || purpose === '') return bad('statusPurpose must be a non-empty string.');
  if (typeof url !== 'string' || !isUrl(url)) return bad('statusListCredential must be a URL.');
  // An integer of any size, written in base 10 as a string (a JSON number is not conforming).
  if (typeof rawIndex !== 'string' || !DIGITS.test(rawIndex)) return bad('statusListIndex must be a non-negative integer written as a base-10 string.');
  if (statusSize !== undefined && !(typeof statusSize === 'number' && Number.isInteger(statusSize) && statusSize > 0)) {
    return bad('statusSize must be an integer greater than zero.');
  }
  const size = (statusSize as number | undefined) ?? 1;
  if (statusMessage === undefined) {
    if (size > 1) return bad('statusMessage must be present when statusSize is greater than 1.');
  } else {
    // One message per possible value; an absent statusSize counts as 1, so two messages.
    if (!Array.isArray(statusMessage) || statusMessage.length !== 2 ** size) return bad(`statusMessage must be an array of ${2 ** size} elements (2^statusSize).`);
    if (!statusMessage.every(isMessage)) return bad('Each statusMessage element must have a "status" ("0x" and hexadecimal digits) and a "message" string.');
  }
  if (entry.id !== undefined && entry.id === url) return bad('The entry id must not be the status list URL.');
  const digits = rawIndex.replace(/^0+(?=.)/, '');
  // Past 15 digits no list (capped far below 2^53 bits) can hold the index: it is simply out of range.
  const index = digits.length > 15 ? Number.POSITIVE_INFINITY : Number(digits);
  return { ok: true, values: { purpose, url, index, size } };
}

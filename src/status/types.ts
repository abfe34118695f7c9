/** Purposes we allocate and change. */
export type StatusPurpose = 'revocation' | 'suspension';

/** Production list capacity: the spec's privacy minimum (131,072 entries). */
export const STATUS_LIST_SIZE = 131_072;

/** Default list-credential time to live (ms): how stale a served list may be. */
export const DEFAULT_TTL_MS = 5 * 60_000;

/** A status list row. */
export interface StatusList {
  id: string;
  institutionId: string;
  purpose: StatusPurpose;
  size: number;
  state: 'open' | 'full';
  version: number;
}

/** One allocated entry, before or after it is linked to its credential. */
export interface ReservedEntry {
  listId: string;
  index: number;
  purpose: StatusPurpose;
}

/** The status of one credential as the API reports it. */
export interface CredentialStatusView {
  credentialId: string;
  revoked: boolean;
  /** null when no suspension entry was allocated. */
  suspended: boolean | null;
  entries: Array<{ statusPurpose: StatusPurpose; statusListCredential: string; statusListIndex: string; set: boolean }>;
}

/**
 * One wanted change of POST /credentials/status, addressed to one purpose's entry: set or clear
 * that bit and no other. `ifAllocated` skips a purpose the credential has no entry for (the
 * generic "active" clears a suspension only where one could exist).
 */
export interface StatusAction {
  purpose: StatusPurpose;
  set: boolean;
  ifAllocated?: boolean;
}

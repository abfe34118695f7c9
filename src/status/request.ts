import { StatusError } from './errors.js';
import type { StatusAction } from './types.js';

/** Body of POST /credentials/status (W3C VC-API UpdateCredentialStatus). */
export interface StatusChangeBody {
  credentialId: string;
  credentialStatus: Array<{ type: string; status: string | boolean; statusPurpose?: string }>;
}

const REVOKE: StatusAction = { purpose: 'revocation', set: true };
const SUSPEND: StatusAction = { purpose: 'suspension', set: true };
// "active": nothing may stay set. Revocation cannot be cleared, so this is refused for a revoked
// credential; a suspension is lifted where the credential has a suspension entry.
const ACTIVE: StatusAction[] = [
  { purpose: 'revocation', set: false },
  { purpose: 'suspension', set: false, ifAllocated: true },
];

const BY_STATUS: Record<string, StatusAction[]> = {
  revoked: [REVOKE],
  suspended: [SUSPEND],
  active: ACTIVE,
  reinstated: ACTIVE,
  unsuspended: ACTIVE,
};

/**
 * Map the VC-API body to actions. Accepted forms per item (type BitstringStatusListEntry):
 * `status: "revoked" | "suspended" | "active"` (aliases "reinstated", "unsuspended"), or
 * `statusPurpose: "revocation" | "suspension"` with `status: true | false` (or a status word
 * that applies to it), which sets or clears that purpose's bit only. Clearing revocation is
 * refused later (STATUS_REVOCATION_FINAL) when the credential is revoked and changes nothing
 * when it is not.
 */
export function actionsOf(body: StatusChangeBody): StatusAction[] {
  return body.credentialStatus.flatMap((item) => {
    if (item.type !== 'BitstringStatusListEntry') {
      throw new StatusError('STATUS_CHANGE_INVALID', `credentialStatus type must be "BitstringStatusListEntry", got "${item.type}".`);
    }
    if (typeof item.status === 'boolean') {
      if (item.statusPurpose === 'revocation' || item.statusPurpose === 'suspension') return [{ purpose: item.statusPurpose, set: item.status }];
      throw new StatusError('STATUS_CHANGE_INVALID', 'A boolean status needs statusPurpose "revocation" or "suspension".');
    }
    const actions = BY_STATUS[item.status];
    if (!actions) throw new StatusError('STATUS_CHANGE_INVALID', `Unknown status "${item.status}"; use revoked, suspended or active.`);
    if (item.statusPurpose === undefined) return actions;
    // A named purpose narrows the change to that purpose's entry, which must then exist.
    const own = actions.filter((a) => a.purpose === item.statusPurpose).map((a) => ({ purpose: a.purpose, set: a.set }));
    if (own.length === 0) throw new StatusError('STATUS_CHANGE_INVALID', `status "${item.status}" does not apply to statusPurpose "${item.statusPurpose}".`);
    return own;
  });
}

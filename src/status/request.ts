import { StatusError } from './errors.js';
import type { StatusAction } from './types.js';

/** Body of POST /credentials/status (W3C VC-API UpdateCredentialStatus). */
export interface StatusChangeBody {
  credentialId: string;
  credentialStatus: Array<{ type: string; status: string | boolean; statusPurpose?: string }>;
}

const BY_STATUS: Record<string, StatusAction> = {
  revoked: 'revoke',
  suspended: 'suspend',
  active: 'reinstate',
  reinstated: 'reinstate',
  unsuspended: 'reinstate',
};

/**
 * Map the VC-API body to actions. Accepted forms per item (type BitstringStatusListEntry):
 * `status: "revoked" | "suspended" | "active"` (aliases "reinstated", "unsuspended"), or
 * `statusPurpose: "revocation" | "suspension"` with `status: true | false`. Un-revoking
 * (`active` on a revoked credential, or revocation=false) is refused later with STATUS_REVOCATION_FINAL.
 */
export function actionsOf(body: StatusChangeBody): StatusAction[] {
  return body.credentialStatus.map((item) => {
    if (item.type !== 'BitstringStatusListEntry') {
      throw new StatusError('STATUS_CHANGE_INVALID', `credentialStatus type must be "BitstringStatusListEntry", got "${item.type}".`);
    }
    if (typeof item.status === 'boolean') {
      if (item.statusPurpose === 'revocation') return item.status ? 'revoke' : 'reinstate';
      if (item.statusPurpose === 'suspension') return item.status ? 'suspend' : 'reinstate';
      throw new StatusError('STATUS_CHANGE_INVALID', 'A boolean status needs statusPurpose "revocation" or "suspension".');
    }
    const action = BY_STATUS[item.status];
    if (!action) throw new StatusError('STATUS_CHANGE_INVALID', `Unknown status "${item.status}"; use revoked, suspended or active.`);
    return action;
  });
}

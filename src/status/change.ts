import type { Db, Queryable } from '../store/index.js';
import { NotFoundError } from '../errors.js';
import { appendAudit, type Actor } from '../audit/index.js';
import { findCredential } from '../credentials/index.js';
import { bumpVersion, entriesOf, setEntryStatus } from './repo.js';
import { listUrl } from './entry.js';
import { StatusError } from './errors.js';
import type { CredentialStatusView, StatusAction, StatusPurpose } from './types.js';

/** The audit action of a bit that changed (a revocation bit is never cleared). */
const auditAction = (a: StatusAction): string => (a.purpose === 'revocation' ? 'credential.revoked' : a.set ? 'credential.suspended' : 'credential.reinstated');
const NOT_ALLOCATED: Record<StatusPurpose, string> = {
  revocation: 'This credential has no revocation entry.',
  suspension: 'This credential was issued without a suspension entry.',
};

/** The API view of a credential's entries. */
export function statusView(publicUrl: string, credentialId: string, entries: Array<{ listId: string; index: number; purpose: StatusPurpose; status: boolean }>): CredentialStatusView {
  const of = (p: StatusPurpose) => entries.find((e) => e.purpose === p);
  return {
    credentialId,
    revoked: of('revocation')?.status ?? false,
    suspended: of('suspension') ? of('suspension')!.status : null,
    entries: entries.map((e) => ({ statusPurpose: e.purpose, statusListCredential: listUrl(publicUrl, e.listId), statusListIndex: String(e.index), set: e.status })),
  };
}

/** Read a credential's status (owning institution only; others get CREDENTIAL_NOT_FOUND). */
export async function readStatus(q: Queryable, publicUrl: string, institutionId: string, credentialId: string): Promise<CredentialStatusView> {
  const cred = await findCredential(q, credentialId);
  if (!cred || cred.institutionId !== institutionId) throw new NotFoundError('CREDENTIAL_NOT_FOUND', `No credential "${credentialId}" for this institution.`);
  return statusView(publicUrl, credentialId, await entriesOf(q, credentialId));
}

/**
 * Apply status actions (each setting or clearing one purpose's bit) to one credential in ONE transaction and return
 * the committed state. The credential's entry rows are locked first (FOR UPDATE), then each
 * touched list's row is bumped in list-id order, so concurrent changes never deadlock and
 * never lose an update: every bit is its own row, written under its own lock.
 */
export async function changeStatus(
  db: Db,
  args: { publicUrl: string; institutionId: string; credentialId: string; actions: StatusAction[]; actor: Actor; now: Date },
): Promise<CredentialStatusView> {
  const cred = await findCredential(db, args.credentialId);
  if (!cred || cred.institutionId !== args.institutionId) {
    throw new NotFoundError('CREDENTIAL_NOT_FOUND', `No credential "${args.credentialId}" for this institution.`);
  }
  return db.transaction(async (tx) => {
    const entries = await entriesOf(tx, args.credentialId, true);
    const byPurpose = new Map(entries.map((e) => [e.purpose, { ...e }]));
    const touched = new Set<StatusPurpose>();
    const changed: StatusAction[] = [];
    for (const action of args.actions) {
      // Each action reads and writes its own purpose's entry only; the revocation entry is read
      // besides, because revocation is final and freezes every other status of the credential.
      const entry = byPurpose.get(action.purpose);
      if (!entry) {
        if (action.ifAllocated) continue;
        throw new StatusError('STATUS_PURPOSE_NOT_ALLOCATED', NOT_ALLOCATED[action.purpose], { credentialId: args.credentialId, statusPurpose: action.purpose });
      }
      const revoked = byPurpose.get('revocation')?.status ?? false;
      if (revoked && !(action.purpose === 'revocation' && action.set)) {
        throw new StatusError('STATUS_REVOCATION_FINAL', 'The credential is revoked; revocation is final and its status can no longer change.', { credentialId: args.credentialId });
      }
      // A bit that already has the wanted value is left alone and not audited (e.g. clearing the
      // revocation of a credential that is not revoked).
      if (entry.status !== action.set) {
        entry.status = action.set;
        touched.add(action.purpose);
        changed.push(action);
      }
    }
    const writes = [...touched].map((p) => byPurpose.get(p)!).sort((a, b) => (a.listId < b.listId ? -1 : a.listId > b.listId ? 1 : 0));
    for (const e of writes) {
      await setEntryStatus(tx, e.listId, e.index, e.status, args.now);
      await bumpVersion(tx, e.listId);
    }
    for (const action of changed) {
      const e = byPurpose.get(action.purpose)!;
      await appendAudit(tx, {
        actor: args.actor,
        institutionId: args.institutionId,
        action: auditAction(action),
        targetType: 'credential',
        targetId: args.credentialId,
        at: args.now,
        detail: { statusPurpose: e.purpose, statusListCredential: listUrl(args.publicUrl, e.listId), statusListIndex: e.index },
      });
    }
    return statusView(args.publicUrl, args.credentialId, [...byPurpose.values()]);
  });
}

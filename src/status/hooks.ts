import { BadRequestError } from '../errors.js';
import type { IssueHooks } from '../credentials/index.js';
import { CONTEXTS } from '../jsonld/index.js';
import { allocateEntry, type AllocatorDeps } from './allocate.js';
import { ownListId, statusEntry } from './entry.js';
import { StatusError } from './errors.js';
import type { StatusPurpose } from './types.js';

function asArray(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The signed credential's own statusListCredential/index pairs. */
function entriesOf(credential: Record<string, unknown>): Array<{ url: string; index: number }> {
  return asArray(credential.credentialStatus).flatMap((e) => {
    const entry = e as Record<string, unknown>;
    return typeof entry.statusListCredential === 'string' && typeof entry.statusListIndex === 'string'
      ? [{ url: entry.statusListCredential, index: Number(entry.statusListIndex) }]
      : [];
  });
}

/**
 * Issuing hooks: beforeSign reserves one index per purpose (each reservation is its own short
 * statement, no transaction held while signing) and adds `credentialStatus`; `entries` names
 * the reserved entries, which the credential's insert statement links to it. They are read
 * from the credential as signed, so the hooks keep no per-request state.
 */
export function createStatusHooks(deps: AllocatorDeps & { publicUrl: string }): Required<IssueHooks> {
  return {
    async beforeSign(credential, { institution, options }) {
      if ('credentialStatus' in credential) {
        throw new BadRequestError('CREDENTIAL_STATUS_NOT_ALLOWED', 'credentialStatus is assigned by the service; do not send one.');
      }
      const purposes: StatusPurpose[] = ['revocation'];
      if (options?.suspension ?? institution.settings.suspensionByDefault ?? false) purposes.push('suspension');
      const entries = [];
      for (const p of purposes) entries.push(statusEntry(deps.publicUrl, await allocateEntry(deps, institution.id, p)));
      const ctx = [...asArray(credential['@context'])];
      // VC 1.1 has no Bitstring Status List terms; VC 2.0 defines them in its base context.
      if (ctx[0] === CONTEXTS.VC_V1 && !ctx.includes(CONTEXTS.STATUS_LIST_V1)) ctx.push(CONTEXTS.STATUS_LIST_V1);
      return { ...credential, '@context': ctx, credentialStatus: entries.length === 1 ? entries[0] : entries };
    },

    entries({ credentialId, credential }) {
      const ours = entriesOf(credential).flatMap((e) => {
        const listId = ownListId(deps.publicUrl, e.url);
        return listId && Number.isSafeInteger(e.index) ? [{ listId, index: e.index }] : [];
      });
      if (ours.length === 0) throw new StatusError('STATUS_ENTRY_CONFLICT', `Credential ${credentialId} was stored without a status entry.`);
      return ours;
    },
  };
}

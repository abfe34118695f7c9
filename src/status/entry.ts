import type { ReservedEntry } from './types.js';

/** URL of a status list credential. */
export function listUrl(publicUrl: string, listId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/status-lists/${listId}`;
}

/** The list id of one of our list URLs, or undefined when the URL is not ours. */
export function ownListId(publicUrl: string, url: string): string | undefined {
  const prefix = `${publicUrl.replace(/\/+$/, '')}/status-lists/`;
  if (!url.startsWith(prefix)) return undefined;
  const id = url.slice(prefix.length);
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : undefined;
}

/** The BitstringStatusListEntry for a reserved index (statusListIndex is a string, as the spec requires). */
export function statusEntry(publicUrl: string, e: ReservedEntry): Record<string, unknown> {
  const url = listUrl(publicUrl, e.listId);
  return {
    id: `${url}#${e.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: e.purpose,
    statusListIndex: String(e.index),
    statusListCredential: url,
  };
}

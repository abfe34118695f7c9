/** Tolerant readers for compacted ELM JSON-LD (single values and arrays are interchangeable). */

/** A JSON object node. */
export type Node = Record<string, unknown>;

/** Returns the value as an array (absent -> []). */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** True for a plain JSON object. */
export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** All object nodes under a property. */
export function nodes(parent: unknown, prop: string): Node[] {
  return isNode(parent) ? asArray(parent[prop]).filter(isNode) : [];
}

/** The node's types as strings (`type` or `@type`). */
export function typesOf(node: unknown): string[] {
  if (!isNode(node)) return [];
  return asArray(node['type'] ?? node['@type']).filter((t): t is string => typeof t === 'string');
}

/** The node's id (`id` or `@id`), or the value itself when it is a string reference. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isNode(value)) return undefined;
  const id = value['id'] ?? value['@id'];
  return typeof id === 'string' ? id : undefined;
}

/** True when the value is present and not empty. */
export function present(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(present);
  if (isNode(value)) return Object.keys(value).length > 0;
  return true;
}

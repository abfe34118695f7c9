import { AppError } from '../errors.js';

/** Resource limits applied before any expensive processing. */
export interface ResourceLimits {
  maxBytes: number;
  maxDepth: number;
  maxProofs: number;
  /** Time budget for one JSON-LD canonicalization (ms). */
  canonicalizeTimeoutMs: number;
}

export const DEFAULT_LIMITS: ResourceLimits = { maxBytes: 1024 * 1024, maxDepth: 64, maxProofs: 3, canonicalizeTimeoutMs: 5000 };

/** Raised when an input exceeds a resource limit; code RESOURCE_LIMIT_EXCEEDED. */
export class ResourceLimitError extends AppError {
  constructor(message: string, detail?: Record<string, unknown>) {
    super('RESOURCE_LIMIT_EXCEEDED', message, 413, detail);
  }
}

/** Depth of nested objects/arrays, iteratively, stopping as soon as `max` is passed. */
export function nestingDepthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

/** Throw ResourceLimitError when a decoded input is too big or too deep. */
export function assertWithinLimits(value: unknown, limits: ResourceLimits, serializedLength?: number): void {
  // Depth first, iteratively: JSON.stringify recurses, and a value nested deeper than the stack
  // (JSON.parse builds one from 100,000 nested brackets) would overflow it.
  if (nestingDepthExceeds(value, limits.maxDepth)) throw new ResourceLimitError(`Input nests deeper than ${limits.maxDepth} levels.`);
  const size = serializedLength ?? Buffer.byteLength(JSON.stringify(value) ?? '');
  if (size > limits.maxBytes) throw new ResourceLimitError(`Input is ${size} bytes; the limit is ${limits.maxBytes}.`, { size });
}

/** True when an error thrown by jsonld/rdf-canonize means a work or time bound was hit. */
export { isCanonicalizationLimit } from '../jsonld/errors.js';

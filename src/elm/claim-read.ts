/**
 * Where ELM lets a learning achievement state its facts beyond its own specification: in
 * sub-assessments (`hasPart`) and on the learning activities it was influenced by. Shared by
 * the Annex I report and the summary, so both find the same values.
 */
import { nodes, type Node } from './elm-read.js';

/**
 * How many `hasPart` levels below a top-level node are followed. Credentials nest an overall
 * assessment over its parts, one or two levels; the bound keeps hostile nesting cheap.
 */
export const MAX_PART_DEPTH = 8;

/** The nodes and their `hasPart` descendants, breadth-first (a whole before its parts). */
export function withParts(roots: Node[], maxDepth = MAX_PART_DEPTH): Node[] {
  const out: Node[] = [];
  const seen = new Set<Node>();
  let level = roots;
  for (let depth = 0; level.length > 0 && depth <= maxDepth; depth++) {
    const next: Node[] = [];
    for (const node of level) {
      if (seen.has(node)) continue;
      seen.add(node);
      out.push(node);
      next.push(...nodes(node, 'hasPart'));
    }
    level = next;
  }
  return out;
}

/** The claims' assessments (`provenBy`) with their sub-assessments. */
export function assessmentsOf(claims: Node[]): Node[] {
  return withParts(claims.flatMap((c) => nodes(c, 'provenBy')));
}

/**
 * The learning activity specifications behind the achievements: those of the activities the
 * claims were influenced by, and those their specifications name as `influencedBy`.
 */
export function activitySpecificationsOf(claims: Node[], specs: Node[]): { ofActivities: Node[]; ofSpecifications: Node[] } {
  const activities = withParts(claims.flatMap((c) => nodes(c, 'influencedBy')));
  return {
    ofActivities: withParts(activities.flatMap((a) => nodes(a, 'specifiedBy'))),
    ofSpecifications: withParts(specs.flatMap((s) => nodes(s, 'influencedBy'))),
  };
}

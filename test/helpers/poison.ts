/** A graph of blank nodes that all look alike and all know each other: RDFC-1.0's worst case. */
export function poisonSubject(n = 16): Record<string, unknown> {
  const ids = Array.from({ length: n }, (_, i) => `_:b${i}`);
  return {
    id: 'did:example:subject',
    'https://schema.org/knows': ids.map((id) => ({ '@id': id, 'https://schema.org/knows': ids.filter((x) => x !== id).map((x) => ({ '@id': x })) })),
  };
}

declare module 'rdf-canonize' {
  /** RDFC-1.0 canonical N-Quads of a dataset (RDF/JS-shaped quads) or, with inputFormat, of N-Quads text. */
  export function canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
}

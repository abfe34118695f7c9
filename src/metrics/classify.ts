/** Securing mechanism of a credential submitted for verification (for metric labels; never trusted). */
export function mechanismOfSubmitted(value: unknown): string {
  if (typeof value === 'string') return 'vc+jwt';
  if (!value || typeof value !== 'object') return 'unknown';
  const v = value as Record<string, unknown>;
  if (v.type === 'EnvelopedVerifiableCredential' || v.type === 'EnvelopedVerifiablePresentation') return 'vc+jwt';
  const proof = Array.isArray(v.proof) ? v.proof[0] : v.proof;
  if (!proof || typeof proof !== 'object') return 'none';
  const p = proof as Record<string, unknown>;
  const name = p.type === 'DataIntegrityProof' ? p.cryptosuite : p.type;
  // Labels come from a fixed set so a client cannot blow up the series count.
  return name === 'eddsa-rdfc-2022' || name === 'ecdsa-rdfc-2019' || name === 'Ed25519Signature2020' ? name : 'other';
}

const MECHANISMS = new Set(['eddsa-rdfc-2022', 'ecdsa-rdfc-2019', 'Ed25519Signature2020', 'vc+jwt']);

/** Mechanism requested for issuance (`options.mechanism`, default eddsa-rdfc-2022), from a fixed set. */
export function mechanismOfIssueRequest(body: unknown, query?: unknown): string {
  const fromBody = (body as { options?: { mechanism?: unknown } } | undefined)?.options?.mechanism;
  const fromQuery = (query as { mechanism?: unknown } | undefined)?.mechanism;
  const m = fromBody ?? fromQuery ?? 'eddsa-rdfc-2022';
  return typeof m === 'string' && MECHANISMS.has(m) ? m : 'other';
}

/** Verdict label from the verify route's status code. */
export function verdictOfStatus(status: number, verdict?: unknown): string {
  if (status === 200) return 'valid';
  if (status === 422) return verdict === 'indeterminate' ? 'indeterminate' : 'invalid';
  if (status === 400 || status === 413) return 'malformed';
  return 'error';
}

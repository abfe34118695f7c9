import { DidError } from './errors.js';

const didTooLarge = (maxBytes: number, detail: Record<string, unknown>): Error =>
  new DidError('DID_WEB_TOO_LARGE', `DID document exceeds ${maxBytes} bytes.`, { detail });

/**
 * Read a response body as UTF-8 text, stopping (and cancelling the stream) once it passes
 * maxBytes; `tooLarge` makes the caller's own error (did:web, status lists…).
 */
export async function readCapped(
  res: Response,
  maxBytes: number,
  tooLarge: (maxBytes: number, detail: Record<string, unknown>) => Error = didTooLarge,
): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes, { declared });
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes, { read: total });
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

import { DidError } from './errors.js';

/** Read a response body as text, stopping (and cancelling the stream) once it passes maxBytes. */
export async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new DidError('DID_WEB_TOO_LARGE', `DID document exceeds ${maxBytes} bytes.`, { detail: { declared } });
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
      throw new DidError('DID_WEB_TOO_LARGE', `DID document exceeds ${maxBytes} bytes.`, { detail: { read: total } });
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

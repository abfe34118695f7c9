import QRCode from 'qrcode';

/** A QR code in both renderings the offer API returns. */
export interface QrImages {
  /** data:image/png;base64,… */
  png: string;
  /** Standalone SVG document. */
  svg: string;
}

// Medium error correction: survives a scuffed print-out while keeping offer-URI codes small.
const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 2 };

/** Render text (the openid-credential-offer:// deep link) as PNG data URL and SVG, offline. */
export async function qrImages(text: string): Promise<QrImages> {
  const [png, svg] = await Promise.all([
    QRCode.toDataURL(text, { ...OPTIONS, type: 'image/png', width: 320 }),
    QRCode.toString(text, { ...OPTIONS, type: 'svg' }),
  ]);
  return { png, svg };
}

/** Security headers of the page: a strict CSP (own scripts and styles only, no inline code, no third parties). */

/** The Content-Security-Policy of every page response. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers for HTML and asset responses. */
export function pageHeaders(): Record<string, string> {
  return {
    'content-security-policy': PAGE_CSP,
    'x-content-type-options': 'nosniff',
    // Shared-view URLs carry a token: never leak it to another site through Referer.
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** Embed JSON in an HTML <script type="application/json"> safely (no `</script>` or comment breakout). */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

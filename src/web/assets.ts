/** The page's static files: read once, hashed for ETags and cache-busting URLs. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One servable file. */
export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Versioned URL (`/assets/<name>?v=<hash>`) that may be cached forever. */
  url: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};
/** Files under /assets/ the service serves; anything else is 404. */
export const ASSET_NAMES = ['app.js', 'render.js', 'explain.js', 'style.css', 'icon.svg'] as const;
const DIR = new URL('./assets/', import.meta.url);

const hashOf = (b: Buffer | string): string => createHash('sha256').update(b).digest('base64url').slice(0, 16);

function load(name: string, body: Buffer): Asset {
  const ext = name.split('.').pop() ?? '';
  const etag = `"${hashOf(body)}"`;
  return { body, contentType: TYPES[ext] ?? 'application/octet-stream', etag, url: `/assets/${name}?v=${etag.slice(1, -1)}` };
}

/** The loaded page: index.html with versioned asset URLs filled in, and the assets. */
export interface WebAssets {
  index: Asset;
  /** index.html as text, for the shared view which embeds a report. */
  indexHtml: string;
  get(name: string): Asset | undefined;
  /** Bytes of the page's own HTML, JS and CSS. */
  weight(): { html: number; js: number; css: number; other: number; total: number };
}

/** Read and hash the page's files (at start-up; no I/O per request). */
export function loadWebAssets(dir: URL = DIR): WebAssets {
  const assets = new Map<string, Asset>();
  for (const name of ASSET_NAMES) assets.set(name, load(name, readFileSync(new URL(name, dir))));
  // index.html refers to `{{asset:name}}`; versioned URLs let browsers cache assets forever and still see updates.
  const indexHtml = readFileSync(new URL('index.html', dir), 'utf8').replace(/\{\{asset:([\w.-]+)\}\}/g, (_m, n: string) => {
    const a = assets.get(n);
    if (!a) throw new Error(`index.html refers to unknown asset ${n}`);
    return a.url;
  });
  const index = load('index.html', Buffer.from(indexHtml, 'utf8'));
  return {
    index,
    indexHtml,
    get: (name) => assets.get(name),
    weight() {
      const w = { html: index.body.length, js: 0, css: 0, other: 0, total: 0 };
      for (const [n, a] of assets) {
        if (n.endsWith('.js')) w.js += a.body.length;
        else if (n.endsWith('.css')) w.css += a.body.length;
        else w.other += a.body.length;
      }
      w.total = w.html + w.js + w.css + w.other;
      return w;
    },
  };
}

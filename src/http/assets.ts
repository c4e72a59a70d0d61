import { readFile } from 'node:fs/promises';
import type { Middleware } from 'koa';
import type { ProvinceLogo } from './province.ts';

const assetsFolder = new URL('../../assets/', import.meta.url);

// The request path is looked up whole in this list and never joined to a file system path,
// so no request can reach a file outside it.
const servedFiles: ReadonlyMap<string, { file: string; type: string }> = new Map([
  ['/assets/app.css', { file: 'app.css', type: 'text/css; charset=utf-8' }],
  ['/assets/password-rules.js', { file: 'password-rules.js', type: 'text/javascript; charset=utf-8' }],
  ['/assets/page-actions.js', { file: 'page-actions.js', type: 'text/javascript; charset=utf-8' }],
]);

// An SVG logo opened on its own would be a document of our origin: no script, no form, no
// request may come of it.
const IMAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

interface Asset {
  body: Buffer;
  type: string;
}

async function loadAssets(): Promise<Map<string, Asset>> {
  const entries = await Promise.all(
    [...servedFiles].map(async ([path, { file, type }]) => {
      const body = await readFile(new URL(file, assetsFolder));
      return [path, { body, type }] as const;
    }),
  );
  return new Map(entries);
}

/** The stylesheet, and the province's logo (read at start-up with the settings) at its own path. */
export function serveAssets(logo: ProvinceLogo): Middleware {
  let assets: Promise<Map<string, Asset>> | undefined;

  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === logo.path) {
      ctx.type = logo.type;
      ctx.set('Content-Security-Policy', IMAGE_POLICY);
      // The path is named by the logo's content: another logo is another path.
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.body = logo.body;
      return;
    }
    if (!servedFiles.has(ctx.path)) return next();
    // Read on first use and kept; a failed read is retried by the next request.
    assets ??= loadAssets().catch((error: unknown) => {
      assets = undefined;
      throw error;
    });
    const asset = (await assets).get(ctx.path)!;
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = asset.body;
  };
}

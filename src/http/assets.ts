import { readFile } from 'node:fs/promises';
import type { Middleware } from 'koa';

const assetsFolder = new URL('../../assets/', import.meta.url);

// The request path is looked up whole in this list and never joined to a file system path,
// so no request can reach a file outside it.
const servedFiles: ReadonlyMap<string, { file: string; type: string }> = new Map([
  ['/assets/app.css', { file: 'app.css', type: 'text/css; charset=utf-8' }],
  ['/assets/page-actions.js', { file: 'page-actions.js', type: 'text/javascript; charset=utf-8' }],
]);

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

export function serveAssets(): Middleware {
  let assets: Promise<Map<string, Asset>> | undefined;

  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !servedFiles.has(ctx.path)) return next();
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

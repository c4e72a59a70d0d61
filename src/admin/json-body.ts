// The admin API's request bodies: one JSON object, small, of type application/json. Anything
// else is refused before it is parsed (RFC 9110 §15.5.16: 415; §15.5.14: 413).
import type { Context } from 'koa';

const MAX_JSON_BYTES = 16 * 1024;

export class JsonBodyError extends Error {
  readonly status: 400 | 413 | 415;
  constructor(status: 400 | 413 | 415, message: string) {
    super(message);
    this.name = 'JsonBodyError';
    this.status = status;
  }
}

/** The body as a JSON object; an empty body is `{}`. */
export async function readJsonObject(ctx: Context): Promise<Record<string, unknown>> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > MAX_JSON_BYTES) throw new JsonBodyError(413, `the body may have at most ${MAX_JSON_BYTES} bytes`);
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error?: Error) => {
      ctx.req.off('data', onData).off('end', onEnd).off('error', stop);
      if (error) reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_JSON_BYTES) {
        // Stop reading but keep the socket for the answer (as http/form.ts does).
        ctx.req.pause();
        ctx.set('Connection', 'close');
        stop(new JsonBodyError(413, `the body may have at most ${MAX_JSON_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    ctx.req.on('data', onData).on('end', onEnd).on('error', stop);
  });
  if (body.length === 0) return {};
  if (!ctx.is('application/json')) throw new JsonBodyError(415, 'the body must be application/json');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new JsonBodyError(400, 'the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JsonBodyError(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

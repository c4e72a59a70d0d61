// Reads an application/x-www-form-urlencoded body with a hard size limit. Our forms are
// small; anything larger is refused before it is parsed.
import type { Context } from 'koa';
import type { MessageKey } from '../i18n/index.ts';

const MAX_FORM_BYTES = 64 * 1024;

export class FormError extends Error {
  readonly status: number;
  readonly code: MessageKey;
  constructor(status: number, code: MessageKey) {
    super(code);
    this.name = 'FormError';
    this.status = status;
    this.code = code;
  }
}

export async function readForm(ctx: Context): Promise<Record<string, string>> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new FormError(415, 'request.invalid');
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > MAX_FORM_BYTES) throw new FormError(413, 'request.too_large');
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error?: Error) => {
      ctx.req.off('data', onData).off('end', onEnd).off('error', stop);
      if (error) reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        // Stop reading but keep the socket, so the person still gets an answer; the
        // connection closes after it rather than draining an attacker's upload.
        ctx.req.pause();
        ctx.set('Connection', 'close');
        stop(new FormError(413, 'request.too_large'));
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
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    // A repeated field is ambiguous input: keep the first, as the page only sends one.
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}

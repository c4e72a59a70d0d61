// Reads an application/x-www-form-urlencoded body with a hard size limit. Our forms are
// small; anything larger is refused before it is parsed.
import type { Context } from 'koa';

export const MAX_FORM_BYTES = 64 * 1024;

export class FormError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string) {
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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new FormError(413, 'request.too_large');
    chunks.push(chunk as Buffer);
  }
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    // A repeated field is ambiguous input: keep the first, as the page only sends one.
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}

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

/** The request's body, at most `maxBytes`: a larger one is refused (413) before it is all read. */
async function readBody(ctx: Context, maxBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > maxBytes) throw new FormError(413, 'request.too_large');
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error?: Error) => {
      ctx.req.off('data', onData).off('end', onEnd).off('error', stop);
      if (error) reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
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
}

export async function readForm(ctx: Context): Promise<Record<string, string>> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new FormError(415, 'request.invalid');
  const body = await readBody(ctx, MAX_FORM_BYTES);
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    // A repeated field is ambiguous input: keep the first, as the page only sends one.
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}

/** A file of a multipart form: its bytes, and what the browser said it was (to be checked, never trusted). */
export interface UploadedFile {
  filename: string;
  declaredType: string;
  body: Buffer;
}

/** A form with a file input (`multipart/form-data`, RFC 7578): a logo of up to 100 KiB and its text. */
const MAX_MULTIPART_BYTES = 512 * 1024;

/**
 * Reads a `multipart/form-data` body of at most 512 KiB with the platform's own parser (the
 * Fetch standard's `Response#formData`, in Node's undici): no hand-written boundary scanning.
 * Text fields as readForm gives them (the first of a repeated name); files by field name, a
 * file input left empty being no file. A body that is not well-formed multipart is refused (400).
 */
export async function readMultipartForm(ctx: Context): Promise<{ fields: Record<string, string>; files: Record<string, UploadedFile> }> {
  if (!ctx.is('multipart/form-data')) throw new FormError(415, 'request.invalid');
  const body = await readBody(ctx, MAX_MULTIPART_BYTES);
  let parsed: FormData;
  try {
    parsed = await new Response(new Uint8Array(body), { headers: { 'content-type': ctx.get('content-type') } }).formData();
  } catch {
    throw new FormError(400, 'request.invalid');
  }
  const fields: Record<string, string> = Object.create(null);
  const files: Record<string, UploadedFile> = Object.create(null);
  for (const [name, value] of parsed) {
    if (Object.hasOwn(fields, name) || Object.hasOwn(files, name)) continue;
    if (typeof value === 'string') fields[name] = value;
    else if (value.size > 0 || value.name !== '') files[name] = { filename: value.name, declaredType: value.type, body: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, files };
}

/** A JSON object body (the admin API) of at most 64 KiB; an empty body is `{}`. Anything else is refused (400, 415, 413). */
export async function readJsonBody(ctx: Context): Promise<Record<string, unknown>> {
  const body = await readBody(ctx, MAX_FORM_BYTES);
  if (body.length === 0) return {};
  if (!ctx.is('application/json')) throw new FormError(415, 'request.invalid');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new FormError(400, 'request.invalid');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FormError(400, 'request.invalid');
  return value as Record<string, unknown>;
}

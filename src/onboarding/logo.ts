// An app's logo, uploaded with its integration request and served by xacthuc itself (SPEC §6:
// pages load nothing from other hosts). Pure: the bytes decide, never the name or the type the
// browser declared. PNG, JPEG and WebP only: an SVG is a document that can carry script, and a
// logo 40 px high needs none of what it adds.
import { createHash } from 'node:crypto';

/** Shown 40 px high on the sign-in and consent pages of a phone: 100 KiB is already generous. */
export const MAX_LOGO_BYTES = 100 * 1024;

export type LogoProblem = 'onboarding.error.logo_too_large' | 'onboarding.error.logo_type' | 'onboarding.error.logo_empty';

export interface CheckedLogo {
  /** Named by its content (`<sha-256 prefix>.<ext>`): another image is another name. */
  name: string;
  contentType: 'image/png' | 'image/jpeg' | 'image/webp';
  body: Buffer;
}

const KINDS = [
  { ext: 'png', contentType: 'image/png', looksLike: (body: Buffer) => body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: 'jpg', contentType: 'image/jpeg', looksLike: (body: Buffer) => body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) },
  { ext: 'webp', contentType: 'image/webp', looksLike: (body: Buffer) => body.length >= 12 && body.toString('latin1', 0, 4) === 'RIFF' && body.toString('latin1', 8, 12) === 'WEBP' },
] as const;

/** The served name of a logo: what `/assets/client-logo/<name>` accepts. */
export const LOGO_NAME = /^[0-9a-f]{32}\.(png|jpg|webp)$/;

export function checkLogo(body: Buffer): { ok: true; logo: CheckedLogo } | { ok: false; problem: LogoProblem } {
  if (body.length === 0) return { ok: false, problem: 'onboarding.error.logo_empty' };
  if (body.length > MAX_LOGO_BYTES) return { ok: false, problem: 'onboarding.error.logo_too_large' };
  const kind = KINDS.find((candidate) => candidate.looksLike(body));
  if (kind === undefined) return { ok: false, problem: 'onboarding.error.logo_type' };
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 32);
  return { ok: true, logo: { name: `${hash}.${kind.ext}`, contentType: kind.contentType, body } };
}

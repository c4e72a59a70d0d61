// What an operator may register for a relying party, checked before anything is stored
// (SPEC R9: an integration is reviewed before it is admitted). Pure: the command line uses
// it, the admin API will.
// oidc-provider's own checks (OpenID Connect Dynamic Client Registration §2) still run after
// these; these are the province's stricter rules on top.
import { SCOPES } from './claims.ts';
import type { NewClient } from './clients.ts';

/** The metadata names of RFC 7591 §2, so a problem reads the same on the CLI and in an API. */
export type ClientMetadataField = 'client_name' | 'redirect_uris' | 'post_logout_redirect_uris' | 'jwks_uri' | 'backchannel_logout_uri' | 'scope';

export interface ClientMetadataProblem {
  field: ClientMetadataField;
  /** RFC 7591 §3.2.2 error code. */
  error: 'invalid_redirect_uri' | 'invalid_client_metadata';
  /** One English sentence for the operator, the offending value quoted with invisible characters escaped. */
  detail: string;
}

export type ClientMetadataCheck = { ok: true; value: NewClient & { scope: string } } | { ok: false; problem: ClientMetadataProblem };

const MAX_CLIENT_NAME_LENGTH = 100;
const MAX_URI_LENGTH = 2000;
const MAX_URIS = 20;

const DEFAULT_GRANT_TYPES = ['authorization_code', 'refresh_token'];

/**
 * Without `--scope` a client may ask for who the person is (`openid profile`) and, when it may
 * use refresh tokens, to stay signed in (`offline_access` releases no data of its own, and the
 * consent page still asks the person for it). `national_id`, `phone`, `email` and `address`
 * release identifiers and contact details (Decree 13/2023 Art. 2.3 counts the personal number,
 * tax code, phone number and address as personal data, processed only for a stated purpose,
 * Art. 3): an operator grants them one by one with `--scope`, once the app's request has been
 * reviewed (SPEC R9).
 */
function defaultScope(grantTypes: readonly string[]): string {
  return grantTypes.includes('refresh_token') ? 'openid profile offline_access' : 'openid profile';
}

// Names are shown on the sign-in and consent pages: control, format (bidi overrides,
// zero-width), private-use and unassigned characters, and line or paragraph separators, would
// let a name hide or reorder what the person reads.
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
// A URI is registered exactly as it is given, and the WHATWG parser silently drops tabs and
// new lines and percent-encodes spaces: only printable ASCII leaves nothing to guess.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
// RFC 8252 §7.1: a native app's private-use scheme is a domain name it controls, reversed.
const REVERSE_DOMAIN_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/** The value as the operator should see it: quoted, with anything invisible escaped. */
function quoted(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return `"${shown.replace(/[\p{C}\p{Zl}\p{Zp}"\\]/gu, (char) => (char === '"' || char === '\\' ? `\\${char}` : `\\u{${char.codePointAt(0)!.toString(16)}}`))}"`;
}

/** RFC 8252 §7.3 loopback hosts; `localhost` kept because relying parties test against it. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

type UriKind = 'redirect' | 'server';

/** Why the URI may not be registered, or undefined when it may. */
function uriProblem(uri: string, kind: UriKind, applicationType: 'web' | 'native'): string | undefined {
  if (uri.length > MAX_URI_LENGTH) return `is longer than ${MAX_URI_LENGTH} characters`;
  if (!PRINTABLE_ASCII.test(uri)) return 'must be printable ASCII (no spaces or control characters; percent-encode the rest)';
  const url = URL.parse(uri);
  if (url === null) return 'is not an absolute URL';
  // RFC 6749 §3.1.2: redirect URIs must not include a fragment; back-channel logout too.
  if (uri.includes('#')) return 'must not contain a fragment (#)';
  // RFC 9700 §2.1: redirect URIs are compared exactly, so a pattern can never match safely.
  if (uri.includes('*')) return 'must not contain a wildcard (*)';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') return url.hostname === '' ? 'has no host' : undefined;
  if (scheme === 'http') return isLoopback(url.hostname) ? undefined : 'plain http is allowed only for loopback hosts (localhost, 127.0.0.1, [::1]); use https';
  if (kind === 'server') return 'must use https (or plain http on a loopback host)';
  if (applicationType === 'web') return 'a web client must use https (or plain http on a loopback host)';
  if (!REVERSE_DOMAIN_SCHEME.test(scheme)) return 'a native app\'s own scheme must be a reversed domain name it controls, e.g. vn.gov.hue.hues:/oauth2redirect (RFC 8252 §7.1)';
  return undefined;
}

function problem(field: ClientMetadataField, detail: string): ClientMetadataCheck {
  const error = field === 'redirect_uris' ? 'invalid_redirect_uri' : 'invalid_client_metadata';
  return { ok: false, problem: { field, error, detail } };
}

function checkUris(field: ClientMetadataField, uris: readonly string[], kind: UriKind, applicationType: 'web' | 'native'): ClientMetadataCheck | undefined {
  if (uris.length > MAX_URIS) return problem(field, `at most ${MAX_URIS} URIs`);
  for (const uri of uris) {
    const why = uriProblem(uri, kind, applicationType);
    if (why !== undefined) return problem(field, `${quoted(uri)} ${why}`);
  }
  return undefined;
}

/** The client as it will be registered: name in NFC, grant types and allowed scopes filled in. */
export function checkClientMetadata(input: NewClient): ClientMetadataCheck {
  const name = input.name.normalize('NFC').trim();
  if (name === '') return problem('client_name', 'is empty');
  if ([...name].length > MAX_CLIENT_NAME_LENGTH) return problem('client_name', `is longer than ${MAX_CLIENT_NAME_LENGTH} characters`);
  const invisible = INVISIBLE.exec(name);
  if (invisible !== null) return problem('client_name', `${quoted(name)} contains an invisible or control character (U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  if (!LETTER_OR_DIGIT.test(name)) return problem('client_name', `${quoted(name)} has no letter or digit`);

  const applicationType = input.applicationType ?? 'web';
  const uriCheck =
    checkUris('redirect_uris', input.redirectUris, 'redirect', applicationType) ??
    checkUris('post_logout_redirect_uris', input.postLogoutRedirectUris, 'redirect', applicationType) ??
    checkUris('jwks_uri', input.jwksUri === undefined ? [] : [input.jwksUri], 'server', applicationType) ??
    checkUris('backchannel_logout_uri', input.backchannelLogoutUri === undefined ? [] : [input.backchannelLogoutUri], 'server', applicationType);
  if (uriCheck !== undefined) return uriCheck;

  const grantTypes = input.grantTypes.length ? input.grantTypes : DEFAULT_GRANT_TYPES;
  let scope = defaultScope(grantTypes);
  if (input.scope !== undefined) {
    const asked = input.scope.trim().split(/ +/);
    const unknown = asked.find((value) => !SCOPES.includes(value));
    if (unknown !== undefined) return problem('scope', `${quoted(unknown)} is not a scope of this provider (${SCOPES.join(', ')})`);
    // oidc-provider drops offline_access silently for such a client: say so at registration.
    if (asked.includes('offline_access') && !grantTypes.includes('refresh_token')) return problem('scope', 'offline_access needs the refresh_token grant');
    scope = SCOPES.filter((value) => asked.includes(value)).join(' ');
  }
  return { ok: true, value: { ...input, name, grantTypes, scope } };
}

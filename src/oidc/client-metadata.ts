// What an operator may register for a relying party, checked before anything is stored
// (SPEC R9: an integration is reviewed before it is admitted). Pure: the command line uses
// it, the admin API will.
// oidc-provider's own checks (OpenID Connect Dynamic Client Registration §2) still run after
// these; these are the province's stricter rules on top.
import { SCOPES } from './claims.ts';
import type { NewClient } from './clients.ts';

/**
 * The metadata names of RFC 7591 §2 and OpenID Connect Dynamic Client Registration §2, and the
 * province's own (`purpose`, `agency`, `public_subject_reason`), so a problem reads the same
 * on the CLI and in an API.
 */
export type ClientMetadataField =
  | 'client_name'
  | 'redirect_uris'
  | 'post_logout_redirect_uris'
  | 'jwks_uri'
  | 'backchannel_logout_uri'
  | 'scope'
  | 'subject_type'
  | 'sector_identifier_uri'
  | 'purpose'
  | 'agency'
  | 'public_subject_reason';

export interface ClientMetadataProblem {
  field: ClientMetadataField;
  /** RFC 7591 §3.2.2 error code. */
  error: 'invalid_redirect_uri' | 'invalid_client_metadata';
  /** One English sentence for the operator, the offending value quoted with invisible characters escaped. */
  detail: string;
}

/** A client as it will be registered: what checkClientMetadata filled in or normalized. */
export type CheckedClient = NewClient & { scope: string; subjectType?: 'pairwise' | 'public' };

export type ClientMetadataCheck = { ok: true; value: CheckedClient } | { ok: false; problem: ClientMetadataProblem };

const MAX_CLIENT_NAME_LENGTH = 100;
/** The purpose of processing and the reason for a public subject: a paragraph, not an essay. */
const MAX_STATEMENT_LENGTH = 500;
const MAX_URI_LENGTH = 2000;
const MAX_URIS = 20;

const DEFAULT_GRANT_TYPES = ['authorization_code', 'refresh_token'];

/**
 * Without `--scope` a client may ask for who the person is (`openid profile`) and, when it may
 * use refresh tokens, to stay signed in (`offline_access` releases no data of its own, and the
 * consent page still asks the person for it). `national_id`, `organization`, `phone`, `email`
 * and `address` release identifiers and contact details (Decree 13/2023 Art. 2.3 counts the
 * personal number, tax code, phone number and address as personal data, processed only for a
 * stated purpose, Art. 3): an operator grants them one by one with `--scope`, once the app's
 * request has been reviewed (SPEC R9); `national_id` and `organization` are never a default
 * (REVIEWED_SCOPES).
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

/**
 * Why a sentence shown to citizens (a client's purpose, the reason for a public subject) may not
 * be stored as given, or undefined when it may. `value` is already in NFC and trimmed.
 */
export function statementProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if ([...value].length > MAX_STATEMENT_LENGTH) return `is longer than ${MAX_STATEMENT_LENGTH} characters`;
  const invisible = INVISIBLE.exec(value);
  if (invisible !== null) return `${quoted(value)} contains an invisible or control character (U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  if (!LETTER_OR_DIGIT.test(value)) return `${quoted(value)} has no letter or digit`;
  return undefined;
}

/**
 * The hosts of a client's redirect URIs, as oidc-provider counts them for a pairwise subject
 * (OpenID Connect Core §8.1): more than one needs a sector_identifier_uri. A native app's own
 * scheme has no host: its sector is the scheme, which names the app (RFC 8252 §7.1), rather than
 * the empty host every such app would share (configuration.ts pairwiseIdentifier).
 */
export function redirectSectors(redirectUris: readonly string[]): string[] {
  const sectors = redirectUris.flatMap((uri) => {
    const url = URL.parse(uri);
    return url === null ? [] : [url.host === '' ? url.protocol.slice(0, -1) : url.host];
  });
  return [...new Set(sectors)];
}

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

function problem(field: ClientMetadataField, detail: string): { ok: false; problem: ClientMetadataProblem } {
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

  const sectorCheck = checkUris('sector_identifier_uri', input.sectorIdentifierUri === undefined ? [] : [input.sectorIdentifierUri], 'server', applicationType);
  if (sectorCheck !== undefined) return sectorCheck;

  const grantTypes = input.grantTypes.length ? input.grantTypes : DEFAULT_GRANT_TYPES;
  const signsPeopleIn = grantTypes.includes('authorization_code');

  let scope = defaultScope(grantTypes);
  if (input.scope !== undefined) {
    const asked = input.scope.trim().split(/ +/);
    const unknown = asked.find((value) => !SCOPES.includes(value));
    if (unknown !== undefined) return problem('scope', `${quoted(unknown)} is not a scope of this provider (${SCOPES.join(', ')})`);
    // oidc-provider drops offline_access silently for such a client: say so at registration.
    if (asked.includes('offline_access') && !grantTypes.includes('refresh_token')) return problem('scope', 'offline_access needs the refresh_token grant');
    scope = SCOPES.filter((value) => asked.includes(value)).join(' ');
  }
  // Decree 13/2023 Art. 3, 11.2: personal data is processed for a stated purpose, and the person
  // is told it before consenting; the consent page shows it.
  let purpose: string | undefined;
  if (input.purpose !== undefined) {
    purpose = input.purpose.normalize('NFC').trim();
    const why = statementProblem(purpose);
    if (why !== undefined) return problem('purpose', why);
  } else if (signsPeopleIn) {
    return problem('purpose', 'is required for an app that signs people in: the consent page tells them why the app processes their data (Decree 13/2023 Art. 11)');
  }
  if (input.agency !== undefined && input.agency.normalize('NFC').trim() === '') return problem('agency', 'is empty');

  const subject = checkSubject(input, signsPeopleIn);
  if (!subject.ok) return subject;

  const agency = input.agency?.normalize('NFC').trim();
  return { ok: true, value: { ...input, name, grantTypes, scope, ...subject.value, ...(purpose === undefined ? {} : { purpose }), ...(agency === undefined ? {} : { agency }) } };
}

type SubjectCheck = { ok: true; value: Pick<CheckedClient, 'subjectType' | 'publicSubjectReason'> } | { ok: false; problem: ClientMetadataProblem };

/**
 * Pairwise subjects unless the operator says why not (OpenID Connect Core §8): two apps of
 * different sectors cannot link a person by `sub`. A public `sub` (the same for every app) needs
 * a reason, stored with the client. Pairwise needs one sector: redirect URIs on several hosts
 * need a sector_identifier_uri listing them (OpenID Connect Core §8.1), or one app could split
 * itself across hosts. A client that signs no one in issues no `sub`, and gets neither.
 */
function checkSubject(input: NewClient, signsPeopleIn: boolean): SubjectCheck {
  const subjectType = input.subjectType ?? 'pairwise';
  const reason = input.publicSubjectReason?.normalize('NFC').trim();
  if (subjectType !== 'pairwise' && subjectType !== 'public') return problem('subject_type', `${quoted(String(subjectType))} is neither pairwise nor public`);
  if (!signsPeopleIn) {
    if (input.subjectType !== undefined || reason !== undefined) return problem('subject_type', 'applies only to an app with the authorization_code grant (no one signs in to the others)');
    if (input.sectorIdentifierUri !== undefined) return problem('sector_identifier_uri', 'applies only to an app with the authorization_code grant');
    return { ok: true, value: {} };
  }
  if (subjectType === 'public') {
    if (reason === undefined) return problem('public_subject_reason', 'is required with a public subject type: say why this app must see the same sub as every other app');
    const why = statementProblem(reason);
    if (why !== undefined) return problem('public_subject_reason', why);
    if (input.sectorIdentifierUri !== undefined) return problem('sector_identifier_uri', 'applies only to pairwise subjects');
    return { ok: true, value: { subjectType, publicSubjectReason: reason } };
  }
  if (reason !== undefined) return problem('public_subject_reason', 'applies only with a public subject type');
  const sectors = redirectSectors(input.redirectUris);
  if (sectors.length > 1 && input.sectorIdentifierUri === undefined) {
    return problem('redirect_uris', `are on several hosts (${sectors.join(', ')}): a pairwise subject needs one sector; give a sector identifier URI listing them all, register one client per host, or ask for public subjects with their reason (OpenID Connect Core §8.1)`);
  }
  return { ok: true, value: { subjectType } };
}

// What an organization or an agency asks for when it proposes an app (Hue-S Art. 15.2, SPEC
// R9), read from the request form and checked all at once. Pure: the page and the console use
// it, and the client it would become passes the province's client rules (oidc/client-metadata.ts)
// before the request is even stored, so a reviewer never approves what cannot be registered.
import { checkClientMetadata, SCOPES, type ClientAuthMethod, type ClientMetadataField, type NewClient } from '../oidc/index.ts';
import type { MessageKey } from '../i18n/index.ts';

/** web: a site with a server; native: a phone app or a webview in one (public, PKCE); service: server to server (client credentials). */
export const APP_KINDS = ['web', 'native', 'service'] as const;
export type AppKind = (typeof APP_KINDS)[number];

/**
 * Scopes that release identifiers and contact details (Decree 13/2023 Art. 2.3, personal data,
 * processed only for a stated purpose, Art. 3): each asked for with its reason, which the
 * reviewer reads.
 */
export const SENSITIVE_SCOPES = ['national_id', 'phone', 'email', 'address'] as const;
export type SensitiveScope = (typeof SENSITIVE_SCOPES)[number];

/** The scopes a request may name, in the order the form lists them. */
export const REQUESTABLE_SCOPES = SCOPES.filter((scope) => scope !== 'openid');

export interface IntegrationRequestFields {
  name: string;
  description: string;
  /** Why the app processes personal data: shown to the people it signs in. */
  purpose: string;
  kind: AppKind;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri?: string;
  /** With it the app authenticates by private_key_jwt instead of a secret. */
  jwksUri?: string;
  /** Besides `openid`, for an app that signs people in. */
  scopes: string[];
  reasons: Partial<Record<SensitiveScope, string>>;
  /** E-mail addresses of the people responsible for the integration (RFC 7591 `contacts`). */
  contacts: string[];
}

export type FormField = 'name' | 'description' | 'purpose' | 'agency' | 'kind' | 'redirect_uris' | 'post_logout_redirect_uris' | 'backchannel_logout_uri' | 'jwks_uri' | 'scope' | `reason_${SensitiveScope}` | 'contacts' | 'logo';

export type RequestFormErrors = Partial<Record<FormField, MessageKey>>;

const MAX_TEXT = 500;
const MAX_CONTACTS = 5;
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// As client names (client-metadata.ts): nothing invisible may hide or reorder what a reviewer or a citizen reads.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

function lines(value: string | undefined): string[] {
  return (value ?? '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
}

function text(value: string | undefined): string {
  return (value ?? '').normalize('NFC').trim();
}

/** A free text of up to 500 characters; new lines are allowed in it, other invisible characters not. */
function textProblem(value: string, required: boolean): boolean {
  if (required && value === '') return true;
  return [...value].length > MAX_TEXT || INVISIBLE.test(value.replace(/\r?\n/g, ' '));
}

/** The client a request would register, as the operator's registration takes it. */
export function newClientOf(fields: IntegrationRequestFields): NewClient {
  const secretMethod: ClientAuthMethod = fields.jwksUri ? 'private_key_jwt' : 'client_secret_basic';
  const signsPeopleIn = fields.kind !== 'service';
  return {
    name: fields.name,
    redirectUris: signsPeopleIn ? fields.redirectUris : [],
    postLogoutRedirectUris: signsPeopleIn ? fields.postLogoutRedirectUris : [],
    grantTypes: signsPeopleIn ? ['authorization_code', 'refresh_token'] : ['client_credentials'],
    // RFC 8252 §8.4: an app on a phone cannot keep a secret; it proves itself with PKCE.
    authMethod: fields.kind === 'native' ? 'none' : secretMethod,
    ...(fields.jwksUri && fields.kind !== 'native' ? { jwksUri: fields.jwksUri } : {}),
    ...(fields.backchannelLogoutUri && signsPeopleIn ? { backchannelLogoutUri: fields.backchannelLogoutUri } : {}),
    scope: signsPeopleIn ? ['openid', ...fields.scopes].join(' ') : 'openid',
    applicationType: fields.kind === 'native' ? 'native' : 'web',
    // Shown to citizens on the consent page (oidc/client-metadata.ts holds it to its rules).
    purpose: fields.purpose,
  };
}

const FIELD_OF: Record<ClientMetadataField, FormField> = {
  client_name: 'name',
  redirect_uris: 'redirect_uris',
  post_logout_redirect_uris: 'post_logout_redirect_uris',
  jwks_uri: 'jwks_uri',
  backchannel_logout_uri: 'backchannel_logout_uri',
  scope: 'scope',
  purpose: 'purpose',
  agency: 'agency',
  // Pairwise subjects (the default) need one host for the redirect URIs, or a sector identifier.
  subject_type: 'redirect_uris',
  sector_identifier_uri: 'redirect_uris',
  public_subject_reason: 'redirect_uris',
};

const ERROR_OF: Record<FormField, MessageKey> = {
  name: 'onboarding.error.name',
  description: 'onboarding.error.description',
  purpose: 'onboarding.error.purpose',
  agency: 'onboarding.error.agency',
  kind: 'onboarding.error.kind',
  redirect_uris: 'onboarding.error.redirect_uris',
  post_logout_redirect_uris: 'onboarding.error.redirect_uris',
  backchannel_logout_uri: 'onboarding.error.server_uri',
  jwks_uri: 'onboarding.error.server_uri',
  scope: 'onboarding.error.scope',
  reason_national_id: 'onboarding.error.reason',
  reason_phone: 'onboarding.error.reason',
  reason_email: 'onboarding.error.reason',
  reason_address: 'onboarding.error.reason',
  contacts: 'onboarding.error.contacts',
  logo: 'onboarding.error.logo_type',
};

/**
 * The request the form describes, or what is wrong with it, field by field. `form` holds the
 * posted fields: `scope_<name>` checkboxes and `reason_<name>` for each sensitive scope.
 */
export function readRequestForm(form: Readonly<Record<string, string>>): { ok: true; fields: IntegrationRequestFields } | { ok: false; errors: RequestFormErrors } {
  const errors: RequestFormErrors = {};
  const fail = (field: FormField) => {
    errors[field] ??= ERROR_OF[field];
  };
  const name = text(form.name);
  const description = text(form.description);
  const purpose = text(form.purpose);
  if (textProblem(description, true)) fail('description');
  if (textProblem(purpose, true)) fail('purpose');
  const kind = APP_KINDS.find((candidate) => candidate === form.kind);
  if (kind === undefined) fail('kind');
  const scopes = REQUESTABLE_SCOPES.filter((scope) => form[`scope_${scope}`] === 'on');
  const reasons: Partial<Record<SensitiveScope, string>> = {};
  for (const scope of SENSITIVE_SCOPES) {
    if (!scopes.includes(scope)) continue;
    const reason = text(form[`reason_${scope}`]);
    if (textProblem(reason, true)) fail(`reason_${scope}`);
    else reasons[scope] = reason;
  }
  const contacts = lines(form.contacts);
  if (contacts.length === 0 || contacts.length > MAX_CONTACTS || contacts.some((contact) => contact.length > 254 || !EMAIL.test(contact))) fail('contacts');
  const optional = (value: string | undefined) => (text(value) === '' ? undefined : text(value));
  const fields: IntegrationRequestFields = {
    name,
    description,
    purpose,
    kind: kind ?? 'web',
    redirectUris: lines(form.redirect_uris),
    postLogoutRedirectUris: lines(form.post_logout_redirect_uris),
    backchannelLogoutUri: optional(form.backchannel_logout_uri),
    jwksUri: optional(form.jwks_uri),
    scopes,
    reasons,
    contacts,
  };
  if (kind !== 'service' && fields.redirectUris.length === 0) fail('redirect_uris');
  if (kind === 'service' && fields.redirectUris.length > 0) fail('redirect_uris');
  // The province's rules on the client itself: name, every URI, scopes with their grants.
  const checked = checkClientMetadata(newClientOf(fields));
  if (!checked.ok) fail(FIELD_OF[checked.problem.field]);
  else fields.name = checked.value.name;
  return Object.keys(errors).length === 0 ? { ok: true, fields } : { ok: false, errors };
}

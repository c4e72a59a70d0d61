// RFC 7591 dynamic registration (with an initial access token an operator issued) and RFC 7592
// management go through the same rules as a registration by an operator: the province's
// (client-metadata.ts) before oidc-provider's own. They run as oidc-provider's registration
// policy `province` (features.registration.policies), which every initial access token names and
// every registration access token inherits, before the library validates the metadata.
import { errors, type ClientMetadata } from 'oidc-provider';
import { checkClientMetadata } from './client-metadata.ts';
import type { ClientAuthMethod, NewClient } from './clients.ts';

export const REGISTRATION_POLICY = 'province';

const AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

function strings(metadata: ClientMetadata, name: string): string[] {
  const value = metadata[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new errors.InvalidClientMetadata(`${name} must be an array of strings`);
  return value as string[];
}

function optionalString(metadata: ClientMetadata, name: string): string | undefined {
  const value = metadata[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new errors.InvalidClientMetadata(`${name} must be a string`);
  return value;
}

/**
 * Checks `metadata` (RFC 7591 names, as posted) by the province's rules and writes back what
 * they settle: the name in NFC, the grant types and allowed scopes filled in, response types
 * following the grants. Throws oidc-provider's `invalid_client_metadata` or
 * `invalid_redirect_uri` naming the field.
 */
export function applyProvinceRules(metadata: ClientMetadata): void {
  const name = optionalString(metadata, 'client_name');
  if (name === undefined) throw new errors.InvalidClientMetadata('client_name is required: it is shown to every person signing in');
  // Pages load nothing from other hosts (SPEC §6): a logo is uploaded with the integration request.
  if (metadata.logo_uri !== undefined) throw new errors.InvalidClientMetadata('logo_uri is not accepted: upload the logo with the integration request, xacthuc serves it itself');
  const authMethod = optionalString(metadata, 'token_endpoint_auth_method') ?? 'client_secret_basic';
  if (!(AUTH_METHODS as readonly string[]).includes(authMethod)) throw new errors.InvalidClientMetadata(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
  const applicationType = optionalString(metadata, 'application_type') ?? 'web';
  if (applicationType !== 'web' && applicationType !== 'native') throw new errors.InvalidClientMetadata('application_type must be web or native');
  const input: NewClient = {
    name,
    redirectUris: strings(metadata, 'redirect_uris'),
    postLogoutRedirectUris: strings(metadata, 'post_logout_redirect_uris'),
    grantTypes: strings(metadata, 'grant_types'),
    authMethod: authMethod as ClientAuthMethod,
    jwksUri: optionalString(metadata, 'jwks_uri'),
    backchannelLogoutUri: optionalString(metadata, 'backchannel_logout_uri'),
    scope: optionalString(metadata, 'scope'),
    applicationType,
    // The province's own: the purpose shown to citizens, and the subject type (pairwise unless a
    // public one is asked for with its reason), as for an app an operator registers.
    purpose: optionalString(metadata, 'purpose'),
    subjectType: optionalString(metadata, 'subject_type') as NewClient['subjectType'],
    publicSubjectReason: optionalString(metadata, 'public_subject_reason'),
    sectorIdentifierUri: optionalString(metadata, 'sector_identifier_uri'),
  };
  const checked = checkClientMetadata(input);
  if (!checked.ok) throw new errors.InvalidClientMetadata(`${checked.problem.field} ${checked.problem.detail}`);
  const { value } = checked;
  metadata.client_name = value.name;
  metadata.grant_types = value.grantTypes;
  metadata.response_types = value.grantTypes.includes('authorization_code') ? ['code'] : [];
  metadata.scope = value.scope;
  if (value.purpose !== undefined) metadata.purpose = value.purpose;
  if (value.subjectType !== undefined) metadata.subject_type = value.subjectType;
  if (value.publicSubjectReason !== undefined) metadata.public_subject_reason = value.publicSubjectReason;
  if (value.backchannelLogoutUri !== undefined) metadata.backchannel_logout_session_required = true;
}

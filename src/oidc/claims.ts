// What each scope releases (OpenID Connect Core §5.4, plus `national_id` for relying
// parties that must match a person to state records). The personal number is released
// only under its own scope, which the consent page names in plain words.
import { PERMISSIONS } from '../accounts/index.ts';
import type { Account } from '../accounts/index.ts';

export const SCOPE_CLAIMS = {
  // acr, amr and auth_time in every ID token: relying parties decide on assurance (SPEC §2).
  openid: ['sub', 'acr', 'amr', 'auth_time', 'at_hash'],
  profile: ['name', 'birthdate', 'gender', 'preferred_username', 'account_type', 'updated_at'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
  national_id: ['national_id', 'national_id_type', 'tax_code'],
} as const;

/**
 * Claims about the sign-in, not about the person (OpenID Connect Core §2, §3.1.3.6): the consent
 * page does not list them one by one, the openid scope's line covers them.
 */
export const PROTOCOL_CLAIMS: readonly string[] = ['iss', 'sub', 'sid', 'acr', 'amr', 'auth_time', 'at_hash'];

/**
 * The claims a claims parameter (OpenID Connect Core §5.5) asks for that only a scope the client
 * is not allowed releases. oidc-provider holds the scope parameter to the client's `scope`, not
 * the claims parameter: without this check a client allowed `openid profile` could ask for
 * `national_id` claim by claim. A client registered with no `scope` is not limited.
 */
export function claimsBeyondScopes(requested: { userinfo?: object; id_token?: object }, allowedScope: string | undefined): string[] {
  if (allowedScope === undefined) return [];
  const allowed = new Set<string>(PROTOCOL_CLAIMS);
  const guarded = new Set<string>();
  for (const [scope, claims] of Object.entries(SCOPE_CLAIMS)) {
    for (const claim of claims) (allowedScope.split(' ').includes(scope) ? allowed : guarded).add(claim);
  }
  const asked = new Set([...Object.keys(requested.userinfo ?? {}), ...Object.keys(requested.id_token ?? {})]);
  return [...asked].filter((claim) => guarded.has(claim) && !allowed.has(claim));
}

export const SCOPES = ['openid', 'offline_access', 'profile', 'email', 'phone', 'address', 'national_id'];

function formattedAddress(profile: Record<string, unknown>): Record<string, string> | undefined {
  const address = profile.address as Record<string, string> | undefined;
  if (!address) return undefined;
  const street = [address.houseNumber, address.street].filter(Boolean).join(' ');
  return {
    formatted: [street, address.ward, address.province].filter(Boolean).join(', '),
    ...(street ? { street_address: street } : {}),
    ...(address.ward ? { locality: address.ward } : {}),
    ...(address.province ? { region: address.province } : {}),
    country: 'VN',
  };
}

export function accountClaims(account: Account, sub: string): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    sub,
    name: account.fullName,
    birthdate: account.birthdate ?? undefined,
    gender: account.gender ?? undefined,
    preferred_username: account.username ?? undefined,
    account_type: account.type,
    updated_at: Math.floor(account.updatedAt.getTime() / 1000),
    email: account.email ?? undefined,
    email_verified: account.email ? false : undefined,
    phone_number: account.phone ?? undefined,
    phone_number_verified: account.phone ? account.phoneVerified : undefined,
    address: formattedAddress(account.profile),
    national_id: account.nationalId ?? undefined,
    national_id_type: account.nationalIdKind ?? undefined,
    tax_code: account.taxCode ?? undefined,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

/**
 * The admin API's scopes, one per management function (accounts/roles.ts PERMISSIONS): a service
 * client gets an access token for them by the client credentials grant, once a super-administrator
 * granted them to it. They release no person's claims and are never asked of a person.
 */
export const ADMIN_SCOPES: readonly string[] = PERMISSIONS.map((permission) => `admin:${permission}`);

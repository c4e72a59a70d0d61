// What each scope releases (OpenID Connect Core §5.4, plus `national_id` and `organization`
// for relying parties that must match a person or an enterprise to state records). The
// personal number and the tax code are released only under their own scopes, which the
// consent page names in plain words and the person may refuse one by one (consent-choice.ts).
import { PERMISSIONS } from '../accounts/index.ts';
import type { Account } from '../accounts/index.ts';

export const SCOPE_CLAIMS = {
  // acr, amr and auth_time in every ID token: relying parties decide on assurance (SPEC §2).
  openid: ['sub', 'acr', 'amr', 'auth_time', 'at_hash'],
  profile: ['name', 'birthdate', 'gender', 'preferred_username', 'account_type', 'updated_at'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
  national_id: ['national_id', 'national_id_type', 'vneid_verified'],
  // An enterprise's account (SPEC R2): its tax code, its registered name, and that it is one.
  organization: ['tax_code', 'organization_name', 'account_type'],
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

export const SCOPES = ['openid', 'offline_access', 'profile', 'email', 'phone', 'address', 'national_id', 'organization'];

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * The address as OpenID Connect Core §5.1.1 has it, in Vietnam's administrative units since
 * 1 July 2025 (no district): house number and street, then ward or commune (`locality`), then
 * province or centrally-run city (`region`, with `region_code`, the stable code of
 * accounts/provinces.json, as registration stores it).
 */
export function addressClaim(profile: Record<string, unknown>): Record<string, string> | undefined {
  const address = profile.address as Record<string, unknown> | undefined;
  if (!address || typeof address !== 'object') return undefined;
  const province = address.province as { code?: unknown; name?: unknown } | string | undefined;
  const region = typeof province === 'string' ? text(province) : text(province?.name);
  const regionCode = typeof province === 'object' ? text(province?.code) : undefined;
  const street = [text(address.houseNumber), text(address.street)].filter(Boolean).join(' ');
  const locality = text(address.ward);
  if (!street && !locality && !region) return undefined;
  return {
    formatted: [street, locality, region].filter(Boolean).join(', '),
    ...(street ? { street_address: street } : {}),
    ...(locality ? { locality } : {}),
    ...(region ? { region } : {}),
    ...(regionCode ? { region_code: regionCode } : {}),
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
    address: addressClaim(account.profile),
    national_id: account.nationalId ?? undefined,
    national_id_type: account.nationalIdKind ?? undefined,
    // Proven by the national electronic identity (SPEC R8): no account is until the VNeID
    // federation records the proof, and relying parties must not take a typed number for one.
    vneid_verified: account.nationalId ? false : undefined,
    tax_code: account.taxCode ?? undefined,
    organization_name: account.type === 'organization' ? account.fullName : undefined,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

/**
 * The admin API's scopes, one per management function (accounts/roles.ts PERMISSIONS): a service
 * client gets an access token for them by the client credentials grant, once a super-administrator
 * granted them to it. They release no person's claims and are never asked of a person.
 */
export const ADMIN_SCOPES: readonly string[] = PERMISSIONS.map((permission) => `admin:${permission}`);

// The operator roles an account may hold (SPEC R10; Hue-S Art. 13, 15.1; Huế 2025 Art. 14.2:
// access is classified by account and by management function). A citizen or organization
// account holds none. What each role may do is the admin folder's table (admin/permissions.ts);
// here only the names, and the rule every sign-in applies: an operator never signs in without
// a second factor (SPEC §2).
export const OPERATOR_ROLES = ['super_admin', 'account_operator', 'integration_reviewer', 'auditor', 'agency_admin'] as const;

export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/**
 * The management functions (what admin/permissions.ts gives each role). A service client of the
 * admin API is granted them one by one as scopes `admin:<function>` (oidc/claims.ts ADMIN_SCOPES).
 */
export const PERMISSIONS = [
  'accounts.read', 'accounts.manage', 'accounts.reveal', 'accounts.delete',
  'clients.read', 'clients.review', 'clients.manage',
  'operators.manage', 'audit.read', 'dashboard.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isOperatorRole(value: unknown): value is OperatorRole {
  return typeof value === 'string' && (OPERATOR_ROLES as readonly string[]).includes(value);
}

/** The operator roles among an account's roles. */
export function operatorRoles(roles: readonly string[]): OperatorRole[] {
  return roles.filter(isOperatorRole);
}

/** Whether the account holds any operator role, and so must use a second factor at every sign-in. */
export function isOperator(roles: readonly string[]): boolean {
  return roles.some(isOperatorRole);
}

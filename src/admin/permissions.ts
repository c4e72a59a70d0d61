// What each operator role may do (SPEC R10; Hue-S Art. 13, 15.1: the operator grants each
// organization and person the right to use each management function; Huế 2025 Art. 14.2).
// Pure: the console and the admin API ask `allows` before anything is read or changed, and
// test/unit/operator-permissions.test.ts is this table read back.
import { operatorRoles, type OperatorRole, type Permission } from '../accounts/index.ts';

export type { Permission } from '../accounts/index.ts';

/** How far a permission reaches: everything, or the operator's own agency only. */
export type Reach = 'all' | 'own_agency';

const EVERYTHING: Record<Permission, Reach> = {
  'accounts.read': 'all',
  'accounts.manage': 'all',
  'accounts.reveal': 'all',
  'accounts.delete': 'all',
  'clients.read': 'all',
  'clients.review': 'all',
  'clients.manage': 'all',
  'operators.manage': 'all',
  'audit.read': 'all',
  'dashboard.read': 'all',
};

export const ROLE_PERMISSIONS: Readonly<Record<OperatorRole, Readonly<Partial<Record<Permission, Reach>>>>> = {
  super_admin: EVERYTHING,
  account_operator: { 'accounts.read': 'all', 'accounts.manage': 'all', 'accounts.reveal': 'all', 'accounts.delete': 'all', 'dashboard.read': 'all' },
  integration_reviewer: { 'clients.read': 'all', 'clients.review': 'all', 'dashboard.read': 'all' },
  // Read-only: sees what happened and to whom, changes nothing, reveals nothing.
  auditor: { 'audit.read': 'all', 'accounts.read': 'all', 'clients.read': 'all', 'dashboard.read': 'all' },
  // Agencies are data: an agency administrator manages only its agency's clients and operators.
  agency_admin: { 'clients.read': 'own_agency', 'clients.manage': 'own_agency', 'operators.manage': 'own_agency' },
};

/**
 * Who is acting: an operator's account, its roles, its agency; or a service client of the admin
 * API (no account, no role), holding the functions its access token's `admin:*` scopes name.
 */
export interface Operator {
  accountId: string | null;
  roles: readonly string[];
  agencyId: string | null;
  /** A service client's functions, each reaching everything a super-administrator granted it. */
  granted?: readonly Permission[];
  /** The service client acting, for the audit log. */
  clientId?: string;
}

/** The widest reach any of the operator's roles gives `permission`; undefined: none. */
export function reachOf(operator: Operator, permission: Permission): Reach | undefined {
  if (operator.granted?.includes(permission)) return 'all';
  let reach: Reach | undefined;
  for (const role of operatorRoles(operator.roles)) {
    const given = ROLE_PERMISSIONS[role][permission];
    if (given === 'all') return 'all';
    reach ??= given;
  }
  return reach;
}

/**
 * Whether the operator may use `permission` on `target` (a client or an account, by the agency
 * it belongs to), or at all when no target is named yet (listing is then narrowed by reach).
 * An operator without an agency reaches no agency's things through an `own_agency` role.
 */
export function allows(operator: Operator, permission: Permission, target?: { agencyId: string | null }): boolean {
  const reach = reachOf(operator, permission);
  if (reach === 'all') return true;
  if (reach !== 'own_agency' || operator.agencyId === null) return false;
  return target === undefined || target.agencyId === operator.agencyId;
}

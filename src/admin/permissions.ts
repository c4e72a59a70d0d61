// What each operator role may do (SPEC R10; Hue-S Art. 13, 15.1: the operator grants each
// organization and person the right to use each management function; Huế 2025 Art. 14.2).
// Pure: the console and the admin API ask `allows` before anything is read or changed, and
// test/unit/operator-permissions.test.ts is this table read back.
import { operatorRoles, type OperatorRole } from '../accounts/index.ts';

export type Permission =
  /** Search accounts, see one with its identifiers masked. */
  | 'accounts.read'
  /** Disable, enable, unlock, force a password change, end sessions, resend activation. */
  | 'accounts.manage'
  /** See an identifier in full (each reveal audited). */
  | 'accounts.reveal'
  /** Erase an account on a data-subject request. */
  | 'accounts.delete'
  /** See relying parties and integration requests. */
  | 'clients.read'
  /** Approve or reject integration requests; grant sensitive scopes. */
  | 'clients.review'
  /** Change, disable, rotate the secret of a relying party; issue initial access tokens. */
  | 'clients.manage'
  /** Give operator roles, make agencies. */
  | 'operators.manage'
  /** Read and export the audit log. */
  | 'audit.read'
  /** Daily figures: registrations, sign-ins, failures, lockouts, SMS. */
  | 'dashboard.read';

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

/** Who is acting: an operator's account, its roles, its agency. */
export interface Operator {
  accountId: string;
  roles: readonly string[];
  agencyId: string | null;
}

/** The widest reach any of the operator's roles gives `permission`; undefined: none. */
export function reachOf(operator: Operator, permission: Permission): Reach | undefined {
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

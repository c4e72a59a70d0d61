// Who may give which operator role to whom (issue "operator console" point 3). Pure: the console
// and the API ask `roleChangeRefusal` before anything is written; test/unit/operator-roles.test.ts
// is its table.
//
// - Whoever holds `operators.manage` for everything (a super-administrator, or a service client
//   granted it) gives and takes any role and sets any agency.
// - An agency administrator (`operators.manage` for its own agency) gives and takes only
//   `agency_admin`, only within its own agency: to an account of its agency, or to an account of
//   no agency that holds no operator role (it then joins the agency). It cannot touch an account
//   that holds any other role, nor move one to another agency.
// - Nobody takes the last active super-administrator's role away: that is decided under a lock
//   when the change is written (operator-admin.ts), not here.
import { operatorRoles, type OperatorRole } from '../accounts/index.ts';
import { reachOf, type Operator } from './permissions.ts';

/** The roles an agency administrator may give and take. */
export const AGENCY_GRANTABLE: readonly OperatorRole[] = ['agency_admin'];

export type RoleChangeRefusal = 'operators.forbidden' | 'operators.out_of_reach' | 'operators.role_not_grantable' | 'operators.agency_not_allowed';

export interface RoleHolder {
  roles: readonly string[];
  agencyId: string | null;
}

/** Whether `actor` may see and change `target`'s roles at all. */
export function reachesOperator(actor: Operator, target: RoleHolder): boolean {
  const reach = reachOf(actor, 'operators.manage');
  if (reach === 'all') return true;
  if (reach !== 'own_agency' || actor.agencyId === null) return false;
  const held = operatorRoles(target.roles);
  if (held.some((role) => !AGENCY_GRANTABLE.includes(role))) return false;
  return target.agencyId === actor.agencyId || (target.agencyId === null && held.length === 0);
}

/** The roles `actor` may give (the console's checkboxes). */
export function grantableRoles(actor: Operator, all: readonly OperatorRole[]): OperatorRole[] {
  const reach = reachOf(actor, 'operators.manage');
  if (reach === 'all') return [...all];
  return reach === 'own_agency' && actor.agencyId !== null ? all.filter((role) => AGENCY_GRANTABLE.includes(role)) : [];
}

/** Why `actor` may not give `target` the operator roles and agency `wanted`; undefined when it may. */
export function roleChangeRefusal(actor: Operator, target: RoleHolder, wanted: { roles: readonly OperatorRole[]; agencyId: string | null }): RoleChangeRefusal | undefined {
  const reach = reachOf(actor, 'operators.manage');
  if (reach === undefined) return 'operators.forbidden';
  if (reach === 'all') return undefined;
  if (!reachesOperator(actor, target)) return 'operators.out_of_reach';
  if (wanted.roles.some((role) => !AGENCY_GRANTABLE.includes(role))) return 'operators.role_not_grantable';
  // Into its own agency; out of every agency only with no role left.
  if (wanted.agencyId !== actor.agencyId && !(wanted.agencyId === null && wanted.roles.length === 0)) return 'operators.agency_not_allowed';
  return undefined;
}

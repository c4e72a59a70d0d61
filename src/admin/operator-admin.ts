// Operators and their roles, agencies (issue "operator console" point 3): the writing side of
// operator-roles.ts, for the console's pages and the admin API alike.
import {
  AgencyStore, checkAgencyName, isOperatorRole, OPERATOR_ROLES, operatorRoles,
  type Account, type Agency, type AgencyNameError, type OperatorRole,
} from '../accounts/index.ts';
import type { Knex } from '../db/index.ts';
import type { AccountAdminDeps, RecordAction } from './account-admin.ts';
import { roleChangeRefusal, type RoleChangeRefusal } from './operator-roles.ts';
import type { Operator } from './permissions.ts';

/** The most operators one list shows. */
export const OPERATOR_LIST_LIMIT = 500;

export type RoleChangeOutcome = 'done' | 'unchanged' | 'last_super_admin' | 'no_agency' | RoleChangeRefusal;

/** The operator roles named in `values` (unknown names refused: undefined). */
export function parseRoles(values: readonly unknown[]): OperatorRole[] | undefined {
  if (!values.every(isOperatorRole)) return undefined;
  return OPERATOR_ROLES.filter((role) => values.includes(role));
}

export class OperatorAdmin {
  readonly #deps: AccountAdminDeps;
  readonly agencies: AgencyStore;

  constructor(deps: AccountAdminDeps) {
    this.#deps = deps;
    this.agencies = new AgencyStore(deps.knex);
  }

  /** The operators `actor` manages: everyone's, or its agency's. */
  async list(actor: Operator, reach: 'all' | 'own_agency'): Promise<Account[]> {
    if (reach === 'own_agency' && actor.agencyId === null) return [];
    return this.#deps.accounts.findOperators(OPERATOR_ROLES, reach === 'all' ? undefined : actor.agencyId!, OPERATOR_LIST_LIMIT);
  }

  /**
   * Gives `target` exactly the operator roles `roles` and the agency `agencyId`, if `actor` may.
   * The account's console sessions end: its next page asks it to sign in with its new roles.
   */
  async setRoles(actor: Operator, target: Account, wanted: { roles: OperatorRole[]; agencyId: string | null }, record: RecordAction): Promise<RoleChangeOutcome> {
    const refusal = roleChangeRefusal(actor, target, wanted);
    if (refusal) return refusal;
    if (wanted.agencyId !== null && !(await this.agencies.find(wanted.agencyId))) return 'no_agency';
    const { knex, accounts, clock, operatorSessions } = this.#deps;
    return knex.transaction(async (trx) => {
      const before = operatorRoles(target.roles);
      if (before.includes('super_admin') && !wanted.roles.includes('super_admin')) {
        const holders = await accounts.lockHoldersOf('super_admin', trx);
        if (holders.length === 1 && holders[0] === target.id) return 'last_super_admin';
      }
      if (sameRoles(before, wanted.roles) && target.agencyId === wanted.agencyId) return 'unchanged';
      const others = target.roles.filter((role) => !isOperatorRole(role));
      if (!(await accounts.setRoles(target.id, [...others, ...wanted.roles], wanted.agencyId, clock.now(), trx))) return 'unchanged';
      await operatorSessions.endAll(target.id, trx);
      await record('operator.roles_changed', { accountId: target.id }, {
        rolesBefore: before.join(' '), roles: wanted.roles.join(' '), agencyBefore: target.agencyId, agency: wanted.agencyId,
      }, trx);
      return 'done';
    });
  }

  async createAgency(rawName: string, record: (agency: Agency, trx: Knex.Transaction) => Promise<void>): Promise<Agency | { error: AgencyNameError }> {
    const checked = checkAgencyName(rawName);
    if (!checked.ok) return { error: checked.error };
    return this.#deps.knex.transaction(async (trx) => {
      const agency = await this.agencies.create(checked.name, trx);
      if (!agency) return { error: 'agency.name_taken' as const };
      await record(agency, trx);
      return agency;
    });
  }
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

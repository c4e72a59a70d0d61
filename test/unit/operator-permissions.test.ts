import test from 'ava';
import { allows, reachOf, type Operator, type Permission } from '../../src/admin/index.ts';
import { isOperator, OPERATOR_ROLES } from '../../src/accounts/index.ts';

const AGENCY = '11111111-1111-4111-8111-111111111111';
const OTHER_AGENCY = '22222222-2222-4222-8222-222222222222';
const operator = (roles: string[], agencyId: string | null = AGENCY): Operator => ({ accountId: 'a', roles, agencyId });

// Each role, each function: what the province's rules ask (SPEC R10), written out once more by hand.
const TABLE: Record<string, Permission[]> = {
  super_admin: ['accounts.read', 'accounts.manage', 'accounts.reveal', 'accounts.delete', 'clients.read', 'clients.review', 'clients.manage', 'operators.manage', 'audit.read', 'dashboard.read'],
  account_operator: ['accounts.read', 'accounts.manage', 'accounts.reveal', 'accounts.delete', 'dashboard.read'],
  integration_reviewer: ['clients.read', 'clients.review', 'dashboard.read'],
  auditor: ['accounts.read', 'clients.read', 'audit.read', 'dashboard.read'],
  agency_admin: ['clients.read', 'clients.manage', 'operators.manage'],
};
const ALL: Permission[] = TABLE.super_admin!;

for (const role of OPERATOR_ROLES) {
  for (const permission of ALL) {
    const allowed = TABLE[role]!.includes(permission);
    test(`${role} is ${allowed ? 'allowed' : 'refused'} ${permission}`, (t) => {
      t.is(allows(operator([role]), permission), allowed);
    });
  }
}

test('an agency administrator reaches its own agency’s clients and operators, not another’s', (t) => {
  const admin = operator(['agency_admin']);
  t.is(reachOf(admin, 'clients.manage'), 'own_agency');
  t.true(allows(admin, 'clients.manage', { agencyId: AGENCY }));
  t.false(allows(admin, 'clients.manage', { agencyId: OTHER_AGENCY }));
  t.false(allows(admin, 'clients.manage', { agencyId: null }), 'a client of no agency is the province’s');
  t.false(allows(operator(['agency_admin'], null), 'clients.read'), 'an agency administrator without an agency reaches nothing');
});

test('two roles give the wider reach of the two', (t) => {
  const both = operator(['agency_admin', 'integration_reviewer']);
  t.is(reachOf(both, 'clients.read'), 'all');
  t.true(allows(both, 'clients.read', { agencyId: OTHER_AGENCY }));
  t.false(allows(both, 'clients.manage', { agencyId: OTHER_AGENCY }));
});

test('a citizen, a retired "admin" role or a made-up role allows nothing, and is no operator', (t) => {
  for (const roles of [[], ['admin'], ['root'], ['SUPER_ADMIN'], ['super_admin ']]) {
    t.false(isOperator(roles), JSON.stringify(roles));
    for (const permission of ALL) t.false(allows(operator(roles), permission), `${JSON.stringify(roles)} ${permission}`);
  }
});

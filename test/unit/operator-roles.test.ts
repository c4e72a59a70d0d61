// Who may give which operator role to whom (src/admin/operator-roles.ts), and how a typed name is
// compared (src/accounts/name-search.ts).
import test from 'ava';
import { grantableRoles, reachesOperator, roleChangeRefusal } from '../../src/admin/operator-roles.ts';
import { OPERATOR_ROLES } from '../../src/accounts/index.ts';
import { FOLD_FROM, FOLD_TO, foldName } from '../../src/accounts/name-search.ts';
import type { Operator } from '../../src/admin/permissions.ts';

const A = 'agency-a';
const B = 'agency-b';
const superAdmin: Operator = { accountId: 's', roles: ['super_admin'], agencyId: null };
const agencyAdmin: Operator = { accountId: 'g', roles: ['agency_admin'], agencyId: A };
const homeless: Operator = { accountId: 'h', roles: ['agency_admin'], agencyId: null };
const accountOperator: Operator = { accountId: 'o', roles: ['account_operator'], agencyId: null };
const service: Operator = { accountId: null, roles: [], agencyId: null, granted: ['operators.manage'], clientId: 'sync' };

const citizen = { roles: [], agencyId: null };
const colleague = { roles: ['agency_admin'], agencyId: A };
const stranger = { roles: ['agency_admin'], agencyId: B };
const reviewerOfA = { roles: ['integration_reviewer'], agencyId: A };
const memberOfA = { roles: [], agencyId: A };

const cases: Array<[string, Operator, { roles: string[]; agencyId: string | null }, { roles: Array<(typeof OPERATOR_ROLES)[number]>; agencyId: string | null }, string | undefined]> = [
  ['a super-administrator gives any role anywhere', superAdmin, citizen, { roles: ['super_admin', 'auditor'], agencyId: B }, undefined],
  ['a super-administrator takes every role away', superAdmin, stranger, { roles: [], agencyId: null }, undefined],
  ['a service client granted operators.manage acts as a super-administrator', service, reviewerOfA, { roles: ['account_operator'], agencyId: null }, undefined],
  ['an agency administrator makes a citizen an administrator of its agency', agencyAdmin, citizen, { roles: ['agency_admin'], agencyId: A }, undefined],
  ['an agency administrator takes the role from a colleague, who stays in the agency', agencyAdmin, colleague, { roles: [], agencyId: A }, undefined],
  ['an agency administrator takes a colleague out of the agency with no role left', agencyAdmin, colleague, { roles: [], agencyId: null }, undefined],
  ['an agency administrator gives a member of its agency the role', agencyAdmin, memberOfA, { roles: ['agency_admin'], agencyId: A }, undefined],
  ['an agency administrator may not give another role', agencyAdmin, citizen, { roles: ['account_operator'], agencyId: A }, 'operators.role_not_grantable'],
  ['an agency administrator may not make a super-administrator', agencyAdmin, colleague, { roles: ['agency_admin', 'super_admin'], agencyId: A }, 'operators.role_not_grantable'],
  ['an agency administrator may not touch another agency’s administrator', agencyAdmin, stranger, { roles: [], agencyId: B }, 'operators.out_of_reach'],
  ['an agency administrator may not touch an account holding another role, even in its agency', agencyAdmin, reviewerOfA, { roles: ['agency_admin'], agencyId: A }, 'operators.out_of_reach'],
  ['an agency administrator may not move someone to another agency', agencyAdmin, citizen, { roles: ['agency_admin'], agencyId: B }, 'operators.agency_not_allowed'],
  ['an agency administrator may not leave an administrator without an agency', agencyAdmin, colleague, { roles: ['agency_admin'], agencyId: null }, 'operators.agency_not_allowed'],
  ['an agency administrator of no agency manages nobody', homeless, citizen, { roles: ['agency_admin'], agencyId: null }, 'operators.out_of_reach'],
  ['an account operator does not manage operators', accountOperator, citizen, { roles: ['auditor'], agencyId: null }, 'operators.forbidden'],
];

for (const [name, actor, target, wanted, expected] of cases) {
  test(name, (t) => {
    t.is(roleChangeRefusal(actor, target, wanted) as string | undefined, expected);
  });
}

test('what each operator may give: everything for a super-administrator, agency_admin for an agency administrator, nothing otherwise', (t) => {
  t.deepEqual(grantableRoles(superAdmin, OPERATOR_ROLES), [...OPERATOR_ROLES]);
  t.deepEqual(grantableRoles(agencyAdmin, OPERATOR_ROLES), ['agency_admin']);
  t.deepEqual(grantableRoles(homeless, OPERATOR_ROLES), []);
  t.deepEqual(grantableRoles(accountOperator, OPERATOR_ROLES), []);
});

test('an agency administrator reaches its agency’s administrators and accounts of no agency with no role, nobody else', (t) => {
  t.true(reachesOperator(agencyAdmin, colleague));
  t.true(reachesOperator(agencyAdmin, citizen));
  t.false(reachesOperator(agencyAdmin, stranger));
  t.false(reachesOperator(agencyAdmin, reviewerOfA));
  t.false(reachesOperator(agencyAdmin, { roles: ['super_admin'], agencyId: null }));
});

test('a typed name folds case and Vietnamese diacritics, whatever its Unicode normalization', (t) => {
  t.is(foldName('  Nguyễn   Văn Ẩn '), 'nguyen van an');
  t.is(foldName('Nguyễn Văn Ẩn'.normalize('NFD')), 'nguyen van an');
  t.is(foldName('ĐẶNG THỊ ĐÀO'), 'dang thi dao');
  t.is(foldName('Công ty TNHH Sông Hương'), 'cong ty tnhh song huong');
});

test('the column’s fold (SQL translate) maps each letter to the letter foldName gives', (t) => {
  const from = [...FOLD_FROM];
  const to = [...FOLD_TO];
  t.is(from.length, to.length);
  for (const [index, letter] of from.entries()) t.is(to[index]!.toLowerCase(), foldName(letter), letter);
  for (const letter of 'ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ') t.true(from.includes(letter), letter);
});

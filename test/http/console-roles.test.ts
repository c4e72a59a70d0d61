// Every role on every page and form of the accounts and operators areas of the console: let
// through exactly when ROLE_PERMISSIONS gives it the function, refused (403) before anything is
// read or changed otherwise.
import test from 'ava';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import { OPERATOR_ROLES, type OperatorRole, type Permission } from '../../src/accounts/index.ts';
import { allows, reachOf } from '../../src/admin/index.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
let server: TestServer;

test.before(async () => {
  server = await startTestServer({ clock, env: { OPERATOR_IDLE_MINUTES: '240' } });
});
test.after.always(async () => {
  await server?.stop();
});

const says = (body: string, key: MessageKey) => body.includes(escapeHtml(translate('vi', key)));

interface Endpoint {
  method: 'GET' | 'POST';
  path: (target: string) => string;
  permission: Permission;
  /** Only for whoever has the permission over every agency. */
  everywhere?: boolean;
}

const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: () => '/admin/accounts', permission: 'accounts.read' },
  { method: 'POST', path: () => '/admin/accounts', permission: 'accounts.read' },
  { method: 'GET', path: (id) => `/admin/accounts/${id}`, permission: 'accounts.read' },
  ...['disable', 'enable', 'require-password-change', 'unlock', 'revoke-sessions'].map((action) => ({ method: 'POST' as const, path: (id: string) => `/admin/accounts/${id}/${action}`, permission: 'accounts.manage' as const })),
  { method: 'POST', path: (id) => `/admin/accounts/${id}/reveal`, permission: 'accounts.reveal' },
  { method: 'GET', path: (id) => `/admin/accounts/${id}/delete`, permission: 'accounts.delete' },
  { method: 'POST', path: (id) => `/admin/accounts/${id}/delete`, permission: 'accounts.delete' },
  { method: 'GET', path: () => '/admin/operators', permission: 'operators.manage' },
  { method: 'POST', path: () => '/admin/operators/find', permission: 'operators.manage' },
  { method: 'GET', path: (id) => `/admin/operators/${id}`, permission: 'operators.manage' },
  { method: 'POST', path: (id) => `/admin/operators/${id}`, permission: 'operators.manage' },
  { method: 'GET', path: () => '/admin/agencies', permission: 'operators.manage' },
  { method: 'POST', path: () => '/admin/agencies', permission: 'operators.manage', everywhere: true },
];

test('each role is let through or refused on each accounts and operators endpoint of the console, as its permissions say', async (t) => {
  const [agency] = await server.services.db.knex('agencies').insert({ id: crypto.randomUUID(), name: 'Sở Thông tin và Truyền thông' }).returning('id');
  const target = await server.services.accounts.create({ type: 'citizen', fullName: 'Mục Tiêu', nationalId: '079301000200', phone: '+84356009911', phoneVerified: true });
  for (const role of OPERATOR_ROLES as readonly OperatorRole[]) {
    now += 31_000;
    const agencyId = role === 'agency_admin' ? agency.id as string : undefined;
    const operator = await createTestOperator(server, [role], { agencyId });
    const agent = new UserAgent();
    t.is((await signInToConsole(server, agent, operator, Math.floor(now / 1000))).status, 200, role);
    const who = { accountId: operator.account.id, roles: [role], agencyId: agencyId ?? null };
    for (const endpoint of ENDPOINTS) {
      const path = endpoint.path(target.id);
      const allowed = allows(who, endpoint.permission) && (!endpoint.everywhere || reachOf(who, endpoint.permission) === 'all');
      // A POST carries a token that is not right: let through, it is refused for the token (csrf.invalid), not for the role.
      const answer = await agent.request(`${server.url}${path}`, endpoint.method === 'POST' ? { form: { _csrf: 'x'.repeat(43), identifier: '079301000200', name: 'Đại' } } : {});
      const label = `${role} ${endpoint.method} ${path.replace(target.id, ':id')}`;
      if (!allowed) {
        t.is(answer.status, 403, label);
        t.true(says(answer.body, 'console.forbidden'), label);
      } else if (endpoint.method === 'GET') {
        t.is(answer.status, 200, label);
      } else {
        t.is(answer.status, 403, label);
        t.true(says(answer.body, 'csrf.invalid'), `${label}: let through to the form's check`);
      }
    }
  }
  const after = await server.services.accounts.findById(target.id);
  t.is(after?.status, 'active', 'no request changed anything');
  t.deepEqual(after?.roles, []);
  t.is((await server.services.db.knex('agencies')).length, 1);
});

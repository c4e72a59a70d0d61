// Who may open the audit log, download it (with identifiers in clear or not) and the dashboard,
// in the console by role and in the admin API by granted function (SPEC R10; issue point 7):
// the table below, every role and every endpoint.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { createTestClient } from '../helpers/relying-party.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import { grantAdminFunctions } from '../../src/admin/index.ts';
import { OPERATOR_ROLES, type OperatorRole } from '../../src/accounts/index.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
let server: TestServer;

test.before(async () => {
  server = await startTestServer({ clock });
});
test.after.always(async () => {
  await server?.stop();
});

const CONSOLE_ENDPOINTS = ['/admin/audit', '/admin/audit.csv', '/admin/audit.csv?reveal=1', '/admin/dashboard'] as const;

const CONSOLE_TABLE: Record<OperatorRole, Record<(typeof CONSOLE_ENDPOINTS)[number], number>> = {
  super_admin: { '/admin/audit': 200, '/admin/audit.csv': 200, '/admin/audit.csv?reveal=1': 200, '/admin/dashboard': 200 },
  auditor: { '/admin/audit': 200, '/admin/audit.csv': 200, '/admin/audit.csv?reveal=1': 403, '/admin/dashboard': 200 },
  account_operator: { '/admin/audit': 403, '/admin/audit.csv': 403, '/admin/audit.csv?reveal=1': 403, '/admin/dashboard': 200 },
  integration_reviewer: { '/admin/audit': 403, '/admin/audit.csv': 403, '/admin/audit.csv?reveal=1': 403, '/admin/dashboard': 200 },
  agency_admin: { '/admin/audit': 403, '/admin/audit.csv': 403, '/admin/audit.csv?reveal=1': 403, '/admin/dashboard': 403 },
};

test.serial('each operator role is allowed or refused each console endpoint of the audit log and the dashboard, and sees only the sections it may open', async (t) => {
  const agencyId = randomUUID();
  await server.services.db.knex('agencies').insert({ id: agencyId, name: 'Sở Thông tin và Truyền thông' });
  for (const role of OPERATOR_ROLES) {
    const operator = await createTestOperator(server, [role], role === 'agency_admin' ? { agencyId } : {});
    now += 60_000;
    const agent = new UserAgent();
    const home = await signInToConsole(server, agent, operator, Math.floor(now / 1000));
    t.is(home.status, 200, role);
    for (const endpoint of CONSOLE_ENDPOINTS) {
      const answer = await agent.request(`${server.url}${endpoint}`);
      t.is(answer.status, CONSOLE_TABLE[role][endpoint], `${role} ${endpoint}`);
    }
    t.is(home.body.includes('href="/admin/audit"'), CONSOLE_TABLE[role]['/admin/audit'] === 200, `${role}: the audit section in the menu`);
    t.is(home.body.includes('href="/admin/dashboard"'), CONSOLE_TABLE[role]['/admin/dashboard'] === 200, `${role}: the dashboard in the menu`);
    const exports = await server.services.db.knex('audit_events').where({ type: 'admin.audit.exported' }).whereRaw(`details->>'operator' = ?`, [operator.account.id]);
    t.deepEqual(exports.map((event) => event.details.revealed).sort(), CONSOLE_TABLE[role]['/admin/audit.csv'] === 200 ? (role === 'super_admin' ? [false, true] : [false]) : [], `${role}: each download it made, and only those, in the log`);
  }
  const signedOut = await new UserAgent().request(`${server.url}/admin/audit`);
  t.is(signedOut.status, 303, 'without a console session: to the sign-in');
});

const API_ENDPOINTS = ['/audit-events', '/audit-events.csv', '/audit-events.csv?reveal=1', '/dashboard'] as const;

const API_TABLE: Array<[string[], Record<(typeof API_ENDPOINTS)[number], number>]> = [
  [['audit.read'], { '/audit-events': 200, '/audit-events.csv': 200, '/audit-events.csv?reveal=1': 403, '/dashboard': 403 }],
  [['audit.read', 'accounts.reveal'], { '/audit-events': 200, '/audit-events.csv': 200, '/audit-events.csv?reveal=1': 200, '/dashboard': 403 }],
  [['dashboard.read'], { '/audit-events': 403, '/audit-events.csv': 403, '/audit-events.csv?reveal=1': 403, '/dashboard': 200 }],
  [['accounts.reveal'], { '/audit-events': 403, '/audit-events.csv': 403, '/audit-events.csv?reveal=1': 403, '/dashboard': 403 }],
  [['accounts.read', 'clients.read'], { '/audit-events': 403, '/audit-events.csv': 403, '/audit-events.csv?reveal=1': 403, '/dashboard': 403 }],
];

test.serial('each admin function a service client holds allows or refuses each API endpoint; a refusal names the scope needed', async (t) => {
  for (const [functions, expected] of API_TABLE) {
    const client = await createTestClient(server, { name: 'Hệ thống tích hợp', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
    await grantAdminFunctions(server.services, client.client_id, functions, { operator: null, via: 'test' });
    const configuration = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const { access_token: token } = await oidc.clientCredentialsGrant(configuration, { scope: functions.map((name) => `admin:${name}`).join(' ') });
    for (const endpoint of API_ENDPOINTS) {
      const answer = await fetch(`${server.url}/admin/api${endpoint}`, { headers: { authorization: `Bearer ${token}` } });
      t.is(answer.status, expected[endpoint], `${functions.join('+')} ${endpoint}`);
      if (answer.status === 403) t.regex(answer.headers.get('www-authenticate') ?? '', /insufficient_scope", scope="admin:(audit\.read|accounts\.reveal|dashboard\.read)"/);
      await answer.arrayBuffer();
    }
  }
  for (const endpoint of API_ENDPOINTS) t.is((await fetch(`${server.url}/admin/api${endpoint}`)).status, 401, `no token: ${endpoint}`);
  const document = await (await fetch(`${server.url}/admin/api/openapi.json`)).json();
  for (const path of ['/audit-events', '/audit-events.csv', '/dashboard']) t.truthy(document.paths[path]?.get, `${path} is in the OpenAPI document`);
});

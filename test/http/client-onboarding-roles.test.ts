// Who may do what in the connected apps section (SPEC R10): every operator role against every
// page of it, and every admin function against every call of its API. An agency administrator
// reaches its own agency's requests and apps only; a reviewer decides but manages nothing.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent, type Page } from '../helpers/user-agent.ts';
import { createTestClient } from '../helpers/relying-party.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import { requestFields } from '../helpers/onboarding.ts';
import { grantAdminFunctions } from '../../src/admin/index.ts';
import { OPERATOR_ROLES, PERMISSIONS, type OperatorRole } from '../../src/accounts/index.ts';
import { IntegrationRequests, readRequestForm } from '../../src/onboarding/index.ts';
import { t as translate } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
const epoch = () => Math.floor(now / 1000);
let server: TestServer;
const ownAgency = randomUUID();
const otherAgency = randomUUID();
let requests: IntegrationRequests;

test.before(async () => {
  server = await startTestServer({ clock });
  await server.services.db.knex('agencies').insert([{ id: ownAgency, name: 'Sở Y tế' }, { id: otherAgency, name: 'Sở Giáo dục' }]);
  requests = new IntegrationRequests(server.services.db.knex, server.services.sealer, clock);
});
test.after.always(async () => {
  await server?.stop();
});

async function pendingRequest(agencyId: string): Promise<string> {
  const read = readRequestForm(requestFields());
  if (!read.ok) throw new Error('the test request is invalid');
  return requests.submit({ source: 'page', requesterAccountId: null, agencyId, fields: read.fields });
}

async function agencyClient(agencyId: string) {
  const client = await createTestClient(server, { name: 'Ứng dụng của sở', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
  await server.services.clients.setMetadataFields(client.client_id, { agency_id: agencyId });
  return client.client_id;
}

const forbidden = (page: Page) => page.status === 403 && page.body.includes(escapeHtml(translate('vi', 'console.forbidden')));

// allowed: the page opens (GET 200, or a POST gets past the rights check to its CSRF check: 403 without "forbidden").
type Expectation = 'allowed' | 'refused';
const A: Expectation = 'allowed';
const R: Expectation = 'refused';

// Columns: super_admin, account_operator, integration_reviewer, auditor, agency_admin (own agency).
const TABLE: Array<[string, (ids: { own: string; other: string; ownClient: string; otherClient: string }) => { method: 'GET' | 'POST'; path: string }, Record<OperatorRole, Expectation>]> = [
  ['the list', () => ({ method: 'GET', path: '/admin/clients' }), { super_admin: A, account_operator: R, integration_reviewer: A, auditor: A, agency_admin: A }],
  ['a request of its agency', (ids) => ({ method: 'GET', path: `/admin/clients/requests/${ids.own}` }), { super_admin: A, account_operator: R, integration_reviewer: A, auditor: A, agency_admin: A }],
  ['a request of another agency', (ids) => ({ method: 'GET', path: `/admin/clients/requests/${ids.other}` }), { super_admin: A, account_operator: R, integration_reviewer: A, auditor: A, agency_admin: R }],
  ['approving', (ids) => ({ method: 'POST', path: `/admin/clients/requests/${ids.own}/approve` }), { super_admin: A, account_operator: R, integration_reviewer: A, auditor: R, agency_admin: R }],
  ['rejecting', (ids) => ({ method: 'POST', path: `/admin/clients/requests/${ids.own}/reject` }), { super_admin: A, account_operator: R, integration_reviewer: A, auditor: R, agency_admin: R }],
  ['the request form', () => ({ method: 'GET', path: '/admin/clients/new' }), { super_admin: A, account_operator: R, integration_reviewer: R, auditor: R, agency_admin: A }],
  ['registration tokens', () => ({ method: 'GET', path: '/admin/clients/registration-tokens' }), { super_admin: A, account_operator: R, integration_reviewer: R, auditor: R, agency_admin: A }],
  ['an app of its agency', (ids) => ({ method: 'GET', path: `/admin/clients/${ids.ownClient}` }), { super_admin: A, account_operator: R, integration_reviewer: A, auditor: A, agency_admin: A }],
  ['an app of another agency', (ids) => ({ method: 'GET', path: `/admin/clients/${ids.otherClient}` }), { super_admin: A, account_operator: R, integration_reviewer: A, auditor: A, agency_admin: R }],
  ['rotating its agency’s app', (ids) => ({ method: 'GET', path: `/admin/clients/${ids.ownClient}/rotate` }), { super_admin: A, account_operator: R, integration_reviewer: R, auditor: R, agency_admin: A }],
  ['rotating another agency’s app', (ids) => ({ method: 'POST', path: `/admin/clients/${ids.otherClient}/rotate` }), { super_admin: A, account_operator: R, integration_reviewer: R, auditor: R, agency_admin: R }],
  ['disabling its agency’s app', (ids) => ({ method: 'GET', path: `/admin/clients/${ids.ownClient}/disable` }), { super_admin: A, account_operator: R, integration_reviewer: R, auditor: R, agency_admin: A }],
  ['disabling another agency’s app', (ids) => ({ method: 'POST', path: `/admin/clients/${ids.otherClient}/disable` }), { super_admin: A, account_operator: R, integration_reviewer: R, auditor: R, agency_admin: R }],
];

test.serial('every operator role against every page of the connected apps section', async (t) => {
  const ids = { own: await pendingRequest(ownAgency), other: await pendingRequest(otherAgency), ownClient: await agencyClient(ownAgency), otherClient: await agencyClient(otherAgency) };
  for (const role of OPERATOR_ROLES) {
    const operator = await createTestOperator(server, [role], role === 'agency_admin' ? { agencyId: ownAgency } : {});
    now += 60_000;
    const agent = new UserAgent();
    await signInToConsole(server, agent, operator, epoch());
    for (const [what, target, expected] of TABLE) {
      const { method, path } = target(ids);
      const page = method === 'GET' ? await agent.get(`${server.url}${path}`) : await agent.request(`${server.url}${path}`, { form: { _csrf: 'none' } });
      const outcome = forbidden(page) ? R : A;
      t.is(outcome, expected[role], `${role}: ${what} (${method} ${path}: ${page.status})`);
      if (expected[role] === A && method === 'GET') t.is(page.status, 200, `${role}: ${what}`);
      if (method === 'POST') t.is(page.status, 403, `${role}: ${what} never acts without its CSRF token`);
    }
    if (role === 'agency_admin') {
      const list = await agent.get(`${server.url}/admin/clients`);
      t.true(list.body.includes(ids.own) && !list.body.includes(ids.other), 'an agency administrator lists its agency’s requests only');
      t.true(list.body.includes(ids.ownClient) && !list.body.includes(ids.otherClient), 'and its agency’s apps only');
    }
  }
  t.is((await requests.find(ids.own))?.status, 'pending', 'nothing was decided');
  t.is(await server.services.clients.statusOf(ids.ownClient), 'active', 'nothing was disabled');
});

const call = (token: string, method: string, path: string) => fetch(`${server.url}/admin/api${path}`, {
  method,
  headers: { authorization: `Bearer ${token}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
  body: method === 'POST' ? '{"reason":"Không","overlap_hours":"nope","expires_in_days":"nope"}' : undefined,
});

test.serial('every admin function against every call of the connected apps API', async (t) => {
  const request = await pendingRequest(ownAgency);
  const client = await agencyClient(ownAgency);
  const calls: Array<[string, string, string]> = [
    ['GET', '/clients', 'clients.read'],
    ['GET', `/clients/requests/${request}`, 'clients.read'],
    ['POST', `/clients/requests/${request}/reject`, 'clients.review'],
    ['GET', `/clients/${client}`, 'clients.read'],
    ['POST', `/clients/${client}/rotate-secret`, 'clients.manage'],
    ['POST', '/clients/initial-access-tokens', 'clients.manage'],
  ];
  for (const permission of PERMISSIONS) {
    const service = await createTestClient(server, { name: 'Dịch vụ', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
    await grantAdminFunctions(server.services, service.client_id, [permission], { operator: null, via: 'test' });
    const configuration = await oidc.discovery(new URL(server.url), service.client_id, service.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const token = (await oidc.clientCredentialsGrant(configuration, { scope: `admin:${permission}` })).access_token;
    for (const [method, path, needed] of calls) {
      const answer = await call(token, method, path);
      if (permission === needed) t.not(answer.status, 403, `${permission}: ${method} ${path}`);
      else {
        t.is(answer.status, 403, `${permission}: ${method} ${path}`);
        t.is((await answer.json()).error, 'insufficient_scope');
      }
    }
  }
  t.is((await requests.find(request))?.status, 'rejected', 'the reviewer’s call with a reason rejected it');
  t.is(await server.services.clients.statusOf(client), 'active');
  const events = await server.services.db.knex('audit_events').where({ type: 'admin.client.rejected' });
  t.true(events.some((event) => event.details.request === request && typeof event.details.serviceClient === 'string'), 'the service client named in the audit log');
});

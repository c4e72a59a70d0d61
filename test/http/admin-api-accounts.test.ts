// The accounts and operators of the admin API: the console's functions as JSON, each allowed
// exactly to a service client whose token carries its admin function, each audited with the
// service client and the target.
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestClient } from '../helpers/relying-party.ts';
import { grantAdminFunctions } from '../../src/admin/index.ts';
import { PERMISSIONS, type Account, type Permission } from '../../src/accounts/index.ts';

let server: TestServer;
const tokens = new Map<Permission, string>();
let clientIds: Map<Permission, string>;

test.before(async () => {
  server = await startTestServer();
  clientIds = new Map();
  for (const permission of PERMISSIONS) {
    const client = await createTestClient(server, { name: `Tự động ${permission}`, redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
    await grantAdminFunctions(server.services, client.client_id, [permission], { operator: null, via: 'test' });
    const configuration = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    tokens.set(permission, (await oidc.clientCredentialsGrant(configuration, { scope: `admin:${permission}` })).access_token);
    clientIds.set(permission, client.client_id);
  }
});
test.after.always(async () => {
  await server?.stop();
});

async function call(permission: Permission | undefined, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = {
    method,
    headers: { ...(permission ? { authorization: `Bearer ${tokens.get(permission)}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  };
  const answer = await fetch(`${server.url}/admin/api${path}`, init);
  const text = await answer.text();
  return { status: answer.status, json: text ? JSON.parse(text) : undefined, headers: answer.headers };
}

let serial = 0;
async function person(extra: Partial<Parameters<TestServer['services']['accounts']['create']>[0]> = {}): Promise<Account> {
  serial += 1;
  const suffix = String(serial).padStart(3, '0');
  return server.services.accounts.create({ type: 'citizen', fullName: 'Lý Thị Nga', nationalId: `079301000${suffix}`, phone: `+84356011${suffix}`, phoneVerified: true, ...extra });
}

test.serial('a search by identifier or name answers masked accounts; an identifier in any spelling finds its account; it is audited with the service client', async (t) => {
  const nga = await person({ fullName: 'Lý Thị Ngà Api' });
  for (const spelling of [nga.nationalId!, `0${nga.phone!.slice(3)}`, nga.phone!, nga.phone!.slice(1)]) {
    const found = await call('accounts.read', 'GET', `/accounts?identifier=${encodeURIComponent(spelling)}`);
    t.is(found.status, 200, spelling);
    t.deepEqual(found.json.accounts.map((account: { id: string }) => account.id), [nga.id], spelling);
    t.is(found.json.accounts[0].national_id, `0793******${nga.nationalId!.slice(-2)}`);
    t.false(JSON.stringify(found.json).includes(nga.nationalId!), 'masked');
  }
  const byName = await call('accounts.read', 'GET', `/accounts?name=${encodeURIComponent('ly thi nga api')}`);
  t.deepEqual(byName.json.accounts.map((account: { id: string }) => account.id), [nga.id]);
  t.false(byName.json.more);
  const event = await server.services.db.knex('audit_events').where({ type: 'admin.account.searched' }).orderBy('id', 'desc').first();
  t.is(event.details.serviceClient, clientIds.get('accounts.read'));
  for (const query of ['', '?identifier=a&name=b', '?identifier=1&identifier=2', `?identifier=${'1'.repeat(300)}`, '?name=a', '?identifier=%20']) {
    const refused = await call('accounts.read', 'GET', `/accounts${query}`);
    t.is(refused.status, 400, query.slice(0, 30));
    t.is(refused.json.error, 'invalid_request');
  }
  const one = await call('accounts.read', 'GET', `/accounts/${nga.id}`);
  t.is(one.json.id, nga.id);
  t.is(one.json.second_factor, false);
  t.is(one.json.locked_until, null);
});

test.serial('each admin function opens exactly its own calls; every other token gets 403 insufficient_scope and changes nothing', async (t) => {
  const target = await person();
  const calls: Array<{ method: 'GET' | 'POST'; path: string; body?: unknown; permission: Permission }> = [
    { method: 'GET', path: `/accounts?identifier=${target.nationalId}`, permission: 'accounts.read' },
    { method: 'GET', path: `/accounts/${target.id}`, permission: 'accounts.read' },
    { method: 'POST', path: `/accounts/${target.id}/require-password-change`, permission: 'accounts.manage' },
    { method: 'POST', path: `/accounts/${target.id}/unlock`, permission: 'accounts.manage' },
    { method: 'POST', path: `/accounts/${target.id}/revoke-sessions`, permission: 'accounts.manage' },
    { method: 'POST', path: `/accounts/${target.id}/disable`, permission: 'accounts.manage' },
    { method: 'POST', path: `/accounts/${target.id}/enable`, permission: 'accounts.manage' },
    { method: 'POST', path: `/accounts/${target.id}/reveal`, body: { identifier: 'phone' }, permission: 'accounts.reveal' },
    // Let through, then refused for its confirmation: nothing is erased by the table.
    { method: 'POST', path: `/accounts/${target.id}/delete`, body: { confirm: 'no' }, permission: 'accounts.delete' },
    { method: 'GET', path: '/operators', permission: 'operators.manage' },
    { method: 'POST', path: `/operators/${target.id}/roles`, body: { roles: [], agency_id: null }, permission: 'operators.manage' },
    { method: 'GET', path: '/agencies', permission: 'operators.manage' },
    { method: 'POST', path: '/agencies', body: { name: '' }, permission: 'operators.manage' },
  ];
  for (const granted of PERMISSIONS) {
    for (const { method, path, body, permission } of calls) {
      const answer = await call(granted, method, path, body);
      const label = `${granted} ${method} ${path.replace(target.id, ':id')}`;
      if (granted === permission) {
        t.not(answer.status, 403, label);
        t.true(answer.status === 200 || (answer.status === 400 && body !== undefined), `${label}: ${answer.status}`);
      } else {
        t.is(answer.status, 403, label);
        t.is(answer.json.error, 'insufficient_scope', label);
        t.is(answer.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="admin:${permission}"`, label);
      }
    }
  }
  t.is((await call(undefined, 'GET', `/accounts/${target.id}`)).status, 401, 'no token');
  const after = await server.services.accounts.findById(target.id);
  t.is(after?.status, 'active');
  const revealed = await server.services.db.knex('audit_events').where({ type: 'admin.account.revealed', account_id: target.id });
  t.is(revealed.length, 1, 'only the reveal that was let through is recorded');
  t.is(revealed[0].details.serviceClient, clientIds.get('accounts.reveal'));
  t.is(revealed[0].details.identifier, 'phone');
});

test.serial('disable, reveal and delete over the API act and are audited; an operator’s account needs operators.manage as well', async (t) => {
  const target = await person();
  const disabled = await call('accounts.manage', 'POST', `/accounts/${target.id}/disable`);
  t.deepEqual(disabled.json, { outcome: 'done' });
  t.deepEqual((await call('accounts.manage', 'POST', `/accounts/${target.id}/disable`)).json, { outcome: 'unchanged' });
  t.is((await server.services.accounts.findById(target.id))?.status, 'disabled');
  const [event] = await server.services.db.knex('audit_events').where({ type: 'admin.account.disabled', account_id: target.id });
  t.is(event.details.serviceClient, clientIds.get('accounts.manage'));
  t.is(event.details.operator, null);

  const revealed = await call('accounts.reveal', 'POST', `/accounts/${target.id}/reveal`, { identifier: 'national_id' });
  t.deepEqual(revealed.json, { identifier: 'national_id', value: target.nationalId });
  t.is((await call('accounts.reveal', 'POST', `/accounts/${target.id}/reveal`, { identifier: 'tax_code' })).status, 404, 'it has no tax code');

  t.is((await call('accounts.delete', 'POST', `/accounts/${target.id}/delete`, {})).status, 400, 'no confirmation');
  const erased = await call('accounts.delete', 'POST', `/accounts/${target.id}/delete`, { confirm: target.id });
  t.deepEqual(erased.json, { outcome: 'done' });
  const row = await server.services.db.knex('accounts').where({ id: target.id }).first();
  t.is(row.status, 'deleted');
  t.is(row.national_id_hmac, null);
  t.is(row.phone_hmac, null);
  t.is((await call('accounts.delete', 'POST', `/accounts/${target.id}/delete`, { confirm: target.id })).status, 410);
  t.is((await call('accounts.read', 'GET', `/accounts/${target.id}`)).json.name, null);

  const operator = await person({ roles: ['auditor'] });
  const refused = await call('accounts.manage', 'POST', `/accounts/${operator.id}/disable`);
  t.is(refused.status, 403);
  t.is(refused.headers.get('www-authenticate'), 'Bearer error="insufficient_scope", scope="admin:operators.manage"');
  t.is((await server.services.accounts.findById(operator.id))?.status, 'active');
});

test.serial('roles and agencies over the API: given, audited, the last super-administrator kept', async (t) => {
  const made = await call('operators.manage', 'POST', '/agencies', { name: 'Sở Nội vụ' });
  t.is(made.status, 201);
  t.is((await call('operators.manage', 'POST', '/agencies', { name: 'Sở Nội vụ' })).status, 409);
  const grantee = await person();
  const given = await call('operators.manage', 'POST', `/operators/${grantee.id}/roles`, { roles: ['super_admin'], agency_id: made.json.id });
  t.deepEqual(given.json, { outcome: 'done' });
  const listed = await call('operators.manage', 'GET', '/operators');
  t.true(listed.json.operators.some((operator: { id: string; agency_id: string }) => operator.id === grantee.id && operator.agency_id === made.json.id));
  await server.services.db.knex('accounts').whereRaw(`roles @> '["super_admin"]'::jsonb`).whereNot({ id: grantee.id }).update({ status: 'disabled' });
  const last = await call('operators.manage', 'POST', `/operators/${grantee.id}/roles`, { roles: [], agency_id: null });
  t.is(last.status, 409);
  t.is(last.json.error, 'last_super_admin');
  for (const body of [{ roles: ['root'], agency_id: null }, { roles: 'super_admin', agency_id: null }, { roles: [], agency_id: 'x' }, { roles: [] }]) {
    t.is((await call('operators.manage', 'POST', `/operators/${grantee.id}/roles`, body)).status, 400, JSON.stringify(body));
  }
  t.deepEqual((await server.services.accounts.findById(grantee.id))?.roles, ['super_admin']);
  const [event] = await server.services.db.knex('audit_events').where({ type: 'admin.operator.roles_changed', account_id: grantee.id });
  t.is(event.details.serviceClient, clientIds.get('operators.manage'));
});

test.serial('hostile requests: ids that are no UUID, bodies that are not JSON objects, too large or of another type', async (t) => {
  const target = await person();
  for (const id of ['not-a-uuid', '..', `${'a'.repeat(3000)}`, '00000000-0000-0000-0000-000000000000']) {
    t.is((await call('accounts.read', 'GET', `/accounts/${id}`)).status, 404, id.slice(0, 20));
  }
  const path = `/accounts/${target.id}/reveal`;
  t.is((await call('accounts.reveal', 'POST', path, '{"identifier":')).status, 400, 'not JSON');
  t.is((await call('accounts.reveal', 'POST', path, '["national_id"]')).status, 400, 'not an object');
  t.is((await call('accounts.reveal', 'POST', path, JSON.stringify({ identifier: 'x'.repeat(70_000) }))).status, 413, 'too large');
  t.is((await call('accounts.reveal', 'POST', path, 'identifier=national_id', { 'content-type': 'application/x-www-form-urlencoded' })).status, 415);
  t.is((await call('accounts.reveal', 'POST', path, { identifier: 'password_hash' })).status, 400);
  t.is((await server.services.db.knex('audit_events').where({ type: 'admin.account.revealed', account_id: target.id })).length, 0);
});

test('the OpenAPI document describes the accounts and operators calls', async (t) => {
  const document = await (await fetch(`${server.url}/admin/api/openapi.json`)).json();
  for (const path of ['/accounts', '/accounts/{id}', '/accounts/{id}/disable', '/accounts/{id}/enable', '/accounts/{id}/require-password-change', '/accounts/{id}/unlock', '/accounts/{id}/revoke-sessions', '/accounts/{id}/reveal', '/accounts/{id}/delete', '/operators', '/operators/{id}/roles', '/agencies']) {
    t.truthy(document.paths[path], path);
  }
  t.truthy(document.paths['/accounts'].get.parameters.find((parameter: { name: string }) => parameter.name === 'identifier'));
});

test.serial('two super-administrators taken away at once, as the last two: one change is made, the other refused, one remains', async (t) => {
  await server.services.db.knex('accounts').whereRaw(`roles @> '["super_admin"]'::jsonb`).update({ status: 'disabled' });
  const first = await person({ roles: ['super_admin'] });
  const second = await person({ roles: ['super_admin'] });
  const answers = await Promise.all([first, second].map((account) => call('operators.manage', 'POST', `/operators/${account.id}/roles`, { roles: ['auditor'], agency_id: null })));
  t.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409]);
  const remaining = await server.services.db.knex('accounts').where({ status: 'active' }).whereRaw(`roles @> '["super_admin"]'::jsonb`);
  t.is(remaining.length, 1);
});

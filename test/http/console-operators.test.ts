// The console's operators area: a super-administrator gives roles and agencies to an account found
// by its identifier; an agency administrator manages its own agency's administrators only; the
// last super-administrator keeps its role; a role change ends the operator's console sessions.
import test from 'ava';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent, type Page } from '../helpers/user-agent.ts';
import { createTestOperator, signInToConsole, type TestOperator } from '../helpers/console.ts';
import { formTo } from '../helpers/console-forms.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
let server: TestServer;
let agencyA: string;
let agencyB: string;

const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>) => page.body.includes(escapeHtml(translate('vi', key, params)));
const knex = () => server.services.db.knex;

async function signedIn(roles: string[], agencyId?: string): Promise<{ agent: UserAgent; who: TestOperator }> {
  now += 31_000;
  const who = await createTestOperator(server, roles, { agencyId });
  const agent = new UserAgent();
  const home = await signInToConsole(server, agent, who, Math.floor(now / 1000));
  if (home.status !== 200) throw new Error(`sign-in ended with ${home.status}`);
  return { agent, who };
}

test.before(async () => {
  server = await startTestServer({ clock, env: { OPERATOR_IDLE_MINUTES: '240' } });
  [{ id: agencyA }, { id: agencyB }] = await knex()('agencies').insert([{ id: crypto.randomUUID(), name: 'UBND phường Phú Hội' }, { id: crypto.randomUUID(), name: 'Sở Y tế' }]).returning('id');
});
test.after.always(async () => {
  await server?.stop();
});

async function citizen(nationalId: string, phone: string) {
  return server.services.accounts.create({ type: 'citizen', fullName: 'Ngô Thị Mai', nationalId, phone, phoneVerified: true });
}

/** Finds the account by `identifier` on the operators page and opens its roles page. */
async function openRoles(agent: UserAgent, identifier: string): Promise<Page> {
  const list = await agent.get(`${server.url}/admin/operators`);
  const form = formTo(list, '/admin/operators/find');
  return agent.submit(list, { action: form.action, fields: { ...form.fields, identifier } });
}

async function saveRoles(agent: UserAgent, page: Page, id: string, fields: Record<string, string>): Promise<Page> {
  const form = formTo(page, `/admin/operators/${id}`);
  const kept = Object.fromEntries(Object.entries(form.fields).filter(([name]) => !name.startsWith('role_')));
  return agent.submit(page, { action: form.action, fields: { ...kept, ...fields } });
}

test.serial('a super-administrator finds an account by its phone and gives it roles and an agency; the change is audited and ends its console sessions', async (t) => {
  const admin = await signedIn(['super_admin']);
  const grantee = await signedIn(['auditor']);
  const page = await openRoles(admin.agent, '0978' + grantee.who.account.phone!.slice(-6));
  t.is(page.url, `${server.url}/admin/operators/${grantee.who.account.id}`);
  t.true(page.body.includes('name="role_super_admin"'), 'a super-administrator may give every role');
  const saved = await saveRoles(admin.agent, page, grantee.who.account.id, { role_account_operator: '1', role_auditor: '1', agency: agencyB });
  t.true(shows(saved, 'console_operators.saved'));
  const after = await server.services.accounts.findById(grantee.who.account.id);
  t.deepEqual(after?.roles, ['account_operator', 'auditor']);
  t.is(after?.agencyId, agencyB);
  const [event] = await knex()('audit_events').where({ type: 'admin.operator.roles_changed', account_id: grantee.who.account.id });
  t.is(event.details.operator, admin.who.account.id);
  t.is(event.details.rolesBefore, 'auditor');
  t.is(event.details.roles, 'account_operator auditor');
  t.is(event.details.agency, agencyB);
  t.is((await grantee.agent.request(`${server.url}/admin`)).status, 303, 'the grantee signs in again to use its new roles');

  const list = await admin.agent.get(`${server.url}/admin/operators`);
  t.true(list.body.includes(`/admin/operators/${grantee.who.account.id}`));
  t.true(list.body.includes('Sở Y tế'));
  t.false(list.body.includes(grantee.who.nationalId), 'identifiers masked in the list');
});

test.serial('an agency administrator sees and manages only its agency’s administrators, and gives only that role', async (t) => {
  const head = await signedIn(['agency_admin'], agencyA);
  const colleague = await createTestOperator(server, ['agency_admin'], { agencyId: agencyA });
  const other = await createTestOperator(server, ['agency_admin'], { agencyId: agencyB });
  const list = await head.agent.get(`${server.url}/admin/operators`);
  t.true(list.body.includes(`/admin/operators/${colleague.account.id}`));
  t.false(list.body.includes(`/admin/operators/${other.account.id}`), 'another agency’s administrators are not listed');
  t.false(list.body.includes('href="/admin/agencies"'), 'agencies are listed and made by a super-administrator');

  const newcomer = await citizen('079301000301', '+84356010011');
  const page = await openRoles(head.agent, '079301000301');
  t.true(page.body.includes('name="role_agency_admin"'));
  t.false(page.body.includes('name="role_super_admin"'), 'no other role is offered');
  const saved = await saveRoles(head.agent, page, newcomer.id, { role_agency_admin: '1', role_super_admin: '1', agency: agencyB });
  t.true(shows(saved, 'console_operators.saved'));
  const joined = await server.services.accounts.findById(newcomer.id);
  t.deepEqual(joined?.roles, ['agency_admin'], 'a role it may not give, posted anyway, is not given');
  t.is(joined?.agencyId, agencyA, 'the newcomer joins the administrator’s own agency, whatever was posted');

  const foreign = await head.agent.get(`${server.url}/admin/operators/${other.account.id}`);
  t.is(foreign.status, 403);
  t.true(shows(foreign, 'operators.out_of_reach'));
  const forced = await head.agent.request(`${server.url}/admin/operators/${other.account.id}`, { form: { _csrf: formTo(saved, `/admin/operators/${newcomer.id}`).fields._csrf!, role_agency_admin: '' } });
  t.is(forced.status, 403);
  t.deepEqual((await server.services.accounts.findById(other.account.id))?.roles, ['agency_admin'], 'another agency’s administrator is untouched');

  const reviewer = await createTestOperator(server, ['integration_reviewer'], { agencyId: agencyA });
  t.is((await head.agent.get(`${server.url}/admin/operators/${reviewer.account.id}`)).status, 403, 'nor an account of its agency holding another role');

  const agencies = await head.agent.get(`${server.url}/admin/agencies`);
  t.true(agencies.body.includes('UBND phường Phú Hội'));
  t.false(agencies.body.includes('Sở Y tế'), 'only its own agency');
  t.is((await head.agent.request(`${server.url}/admin/agencies`, { form: { name: 'Cơ quan mới' } })).status, 403, 'nor does it make agencies');
});

test.serial('the last active super-administrator keeps its role; agencies are made with a checked, unique name', async (t) => {
  await knex()('accounts').whereRaw(`roles @> '["super_admin"]'::jsonb`).update({ status: 'disabled' });
  const only = await signedIn(['super_admin']);
  const page = await only.agent.get(`${server.url}/admin/operators/${only.who.account.id}`);
  const refused = await saveRoles(only.agent, page, only.who.account.id, { role_auditor: '1', agency: '' });
  t.true(shows(refused, 'console_accounts.last_super_admin'));
  t.deepEqual((await server.services.accounts.findById(only.who.account.id))?.roles, ['super_admin']);

  const agencies = await only.agent.get(`${server.url}/admin/agencies`);
  const form = formTo(agencies, '/admin/agencies');
  const created = await only.agent.submit(agencies, { action: form.action, fields: { ...form.fields, name: '  Sở   Tư pháp ' } });
  t.true(shows(created, 'console_operators.agency_created', { name: 'Sở Tư pháp' }));
  for (const [name, code] of [['Sở Tư pháp', 'agency.name_taken'], ['Sở\u202eTư pháp', 'agency.name_invalid'], ['   ', 'agency.name_empty'], ['x'.repeat(201), 'agency.name_too_long'], ['12345', 'agency.name_invalid']] as const) {
    const answer = await only.agent.submit(agencies, { action: form.action, fields: { ...form.fields, name } });
    t.is(answer.status, 400, name.slice(0, 10));
    t.true(shows(answer, code), code);
  }
  t.is((await knex()('agencies').where({ name: 'Sở Tư pháp' })).length, 1);
  const events = await knex()('audit_events').where({ type: 'admin.agency.created' });
  t.is(events.length, 1);
  t.is(events[0].details.operator, only.who.account.id);
});

// The console's accounts area: an account operator finds an account by any identifier in any
// spelling (through the keyed indexes) or by name, sees it masked, reveals one identifier on an
// audited request, and disables, enables, unlocks, requires a new password, signs it out
// everywhere and erases it on the person's request, each end to end and each in the audit log.
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent, type Page } from '../helpers/user-agent.ts';
import { createTestOperator, signInToConsole, type TestOperator } from '../helpers/console.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { formTo, hasFormTo } from '../helpers/console-forms.ts';
import type { Account, NewAccount } from '../../src/accounts/index.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
const epoch = () => Math.floor(now / 1000);
let server: TestServer;
let operator: { agent: UserAgent; who: TestOperator };
let rp: oidc.Configuration;

const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>) => page.body.includes(escapeHtml(translate('vi', key, params)));
const knex = () => server.services.db.knex;

async function signedIn(roles: string[]): Promise<{ agent: UserAgent; who: TestOperator }> {
  now += 31_000; // a new authenticator time step: the same code is never accepted twice
  const who = await createTestOperator(server, roles);
  const agent = new UserAgent();
  const home = await signInToConsole(server, agent, who, epoch());
  if (home.status !== 200) throw new Error(`sign-in to the console ended with ${home.status}`);
  return { agent, who };
}

test.before(async () => {
  server = await startTestServer({ clock, env: { OPERATOR_IDLE_MINUTES: '240', LOCKOUT_MAX_FAILURES: '3' } });
  operator = await signedIn(['account_operator']);
  rp = await discover(server, await createTestClient(server));
});
test.after.always(async () => {
  await server?.stop();
});

async function account(input: Partial<NewAccount> & Pick<NewAccount, 'fullName'>): Promise<Account> {
  return server.services.accounts.create({ type: 'citizen', phoneVerified: true, ...input });
}

async function search(agent: UserAgent, by: 'identifier' | 'name', text: string): Promise<Page> {
  const page = await agent.get(`${server.url}/admin/accounts`);
  const form = formTo(page, '/admin/accounts', { by });
  return agent.submit(page, { action: form.action, fields: { ...form.fields, [by]: text } });
}

const found = (page: Page) => [...page.body.matchAll(/<td data-label="[^"]*"><a href="\/admin\/accounts\/([0-9a-f-]{36})">/g)].map((match) => match[1]!);

async function accountPage(id: string, agent = operator.agent): Promise<Page> {
  return agent.get(`${server.url}/admin/accounts/${id}`);
}

/** Presses the button of `action` on the account's page; returns the page it leads to. */
async function act(id: string, action: string, agent = operator.agent): Promise<Page> {
  const page = await accountPage(id, agent);
  const form = formTo(page, `/admin/accounts/${id}/${action}`);
  return agent.submit(page, form);
}

const events = (type: string, accountId: string) => knex()('audit_events').where({ type, account_id: accountId }).orderBy('id');

test.serial('an identifier of every kind, in every spelling, finds its one account through the keyed indexes; one nobody has finds none', async (t) => {
  const cccd = await account({ fullName: 'Phạm Thị Cúc', nationalId: '079301000123', phone: '+84356001122', username: 'phamthicuc' });
  const cmnd = await account({ fullName: 'Hồ Văn Dũng', nationalIdKind: 'cmnd', nationalId: '123456789', phone: '+84356001133' });
  const passport = await account({ fullName: 'Jane Roe', nationalIdKind: 'passport', nationalId: 'B1234567', phone: '+84356001144' });
  const company = await account({ type: 'organization', fullName: 'Công ty TNHH Sông Hương', taxCode: '0100107518', phone: '+84356001155' });
  const branch = await account({ type: 'organization', fullName: 'Chi nhánh Sông Hương Huế', taxCode: '0100107518-001', phone: '+84356001166' });
  const cases: Array<[Account, string[]]> = [
    [cccd, ['079301000123', ' 079301000123 ', '079 301 000 123', '0356001122', '0356 001 122', '035.600.1122', '+84356001122', '+84 356 001 122', '84356001122', '(+84) 356 001 122', 'phamthicuc', 'PhamThiCuc']],
    [cmnd, ['123456789', '123 456 789', '0356001133']],
    [passport, ['B1234567', 'b1234567', 'B 1234567', '+84356001144']],
    [company, ['0100107518', '0100 107 518', '84356001155']],
    [branch, ['0100107518-001', '0100107518 - 001']],
  ];
  for (const [expected, spellings] of cases) {
    for (const spelling of spellings) {
      const page = await search(operator.agent, 'identifier', spelling);
      t.is(page.status, 200, spelling);
      t.deepEqual(found(page), [expected.id], spelling);
    }
  }
  for (const nobody of ['079301000999', '0356009999', 'nobody-here', '0100107518-002', '!!!']) {
    const page = await search(operator.agent, 'identifier', nobody);
    t.deepEqual(found(page), [], nobody);
    t.true(shows(page, 'console_accounts.results.none'), nobody);
  }
  const searched = await knex()('audit_events').where({ type: 'admin.account.searched' }).orderBy('id', 'desc').first();
  t.is(searched.details.operator, operator.who.account.id);
  t.is(searched.details.by, 'identifier');
  t.false(JSON.stringify(searched.details).includes('079301000123'), 'what was typed is not logged');
});

test.serial('a name is found whatever its case and diacritics; more than 50 matches are cut at 50 and said so', async (t) => {
  const an = await account({ fullName: 'Nguyễn Văn Ẩn', nationalId: '079301000124', phone: '+84356002211' });
  const other = await account({ fullName: 'Trần Thị Đào', nationalId: '079301000125', phone: '+84356002212' });
  for (const typed of ['Nguyễn Văn Ẩn', 'nguyen van an', 'NGUYEN VAN AN', 'văn ẩn', 'VAN  AN', 'Nguyễn Văn Ẩn'.normalize('NFD')]) {
    const page = await search(operator.agent, 'name', typed);
    t.is(page.status, 200, typed);
    t.deepEqual(found(page), [an.id], typed);
  }
  t.deepEqual(found(await search(operator.agent, 'name', 'dao')), [other.id], 'đ is found as d');
  t.deepEqual(found(await search(operator.agent, 'name', '100%_')), [], 'LIKE wildcards are taken literally');
  for (let index = 0; index < 51; index += 1) await account({ fullName: `Lê Văn Trùng ${index}` });
  const many = await search(operator.agent, 'name', 'le van trung');
  t.is(found(many).length, 50);
  t.true(shows(many, 'console_accounts.results.more', { limit: 50 }));
});

test.serial('search input that is empty, too long, too short or carries control characters is refused, and nothing is searched', async (t) => {
  const before = (await knex()('audit_events').where({ type: 'admin.account.searched' })).length;
  for (const [by, typed, code] of [
    ['identifier', '   ', 'accounts.search_empty'],
    ['identifier', '1'.repeat(5000), 'accounts.search_too_long'],
    ['identifier', '0356001122\u0000', 'accounts.search_too_long'],
    ['name', 'x'.repeat(101), 'accounts.search_too_long'],
    ['name', 'a', 'accounts.search_too_short'],
  ] as const) {
    const page = await search(operator.agent, by, typed);
    t.is(page.status, 400, `${by} ${typed.slice(0, 12)}`);
    t.true(shows(page, code));
    t.true(page.body.includes(`aria-invalid="true"`));
  }
  t.is((await knex()('audit_events').where({ type: 'admin.account.searched' })).length, before);
});

test.serial('the account page shows identifiers masked; a reveal shows one in full after a POST and is audited naming which', async (t) => {
  const person = await account({ fullName: 'Võ Thị Hoa', nationalId: '079301000126', phone: '+84356003311', username: 'vothihoa' });
  const page = await accountPage(person.id);
  t.is(page.status, 200);
  t.false(page.body.includes('079301000126'));
  t.false(page.body.includes('0356003311'));
  t.true(page.body.includes('0793******26'));
  t.true(page.body.includes('035****311'));
  t.true(shows(page, 'console_accounts.not_locked'));
  t.true(shows(page, 'console_accounts.second_factor_off'));
  t.is((await events('admin.account.viewed', person.id)).length, 1);

  const reveal = formTo(page, `/admin/accounts/${person.id}/reveal`, { identifier: 'national_id' });
  const forged = await operator.agent.request(`${server.url}/admin/accounts/${person.id}/reveal`, { form: { identifier: 'national_id', _csrf: 'x'.repeat(43) } });
  t.is(forged.status, 403);
  t.false(forged.body.includes('079301000126'));
  const missing = await operator.agent.request(`${server.url}/admin/accounts/${person.id}/reveal`, { form: { identifier: 'national_id' } });
  t.is(missing.status, 403);
  t.is((await events('admin.account.revealed', person.id)).length, 0, 'a refused reveal reveals nothing and records nothing');

  const shown = await operator.agent.submit(page, reveal);
  t.is(shown.status, 200);
  t.true(shown.body.includes('079301000126'));
  t.false(shown.body.includes('0356003311'), 'only the identifier asked for');
  t.is(shown.headers.get('cache-control'), 'no-store');
  const [revealed] = await events('admin.account.revealed', person.id);
  t.is(revealed.details.identifier, 'national_id');
  t.is(revealed.details.operator, operator.who.account.id);

  const phone = await operator.agent.submit(page, formTo(page, `/admin/accounts/${person.id}/reveal`, { identifier: 'phone' }));
  t.true(phone.body.includes('+84356003311'));
  t.is((await events('admin.account.revealed', person.id)).at(-1).details.identifier, 'phone');
  const unknown = await operator.agent.request(`${server.url}/admin/accounts/${person.id}/reveal`, { form: { identifier: 'password_hash', _csrf: reveal.fields._csrf! } });
  t.is(unknown.status, 400);
});

test.serial('a disabled account cannot sign in and its refresh token is dead; enabled again, it signs in', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0356004411' });
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  t.truthy(tokens.refresh_token);

  const disabled = await act(citizen.account.id, 'disable');
  t.is(disabled.status, 200);
  t.true(shows(disabled, 'console_accounts.done.disable'));
  t.true(shows(disabled, 'console_accounts.status.disabled'));
  const error = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
  t.is(error?.error, 'invalid_grant');
  const again = await startAuthorization(rp);
  const refused = await signInThroughPages(new UserAgent(), again, citizen.nationalId, citizen.password);
  t.false(refused.url.startsWith(RP_CALLBACK), 'a disabled account cannot sign in');
  const [event] = await events('admin.account.disabled', citizen.account.id);
  t.is(event.details.operator, operator.who.account.id);
  t.true(Number(event.details.revoked) >= 1);

  const enabled = await act(citizen.account.id, 'enable');
  t.true(shows(enabled, 'console_accounts.done.enable'));
  const third = await startAuthorization(rp);
  const back = await signInThroughPages(new UserAgent(), third, citizen.nationalId, citizen.password);
  t.true(back.url.startsWith(RP_CALLBACK));
  t.is((await events('admin.account.enabled', citizen.account.id)).length, 1);
});

test.serial('unlock lets a person locked by wrong passwords in; a forced change shows the new-password page at the next sign-in', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0356005511' });
  for (let attempt = 0; attempt < 3; attempt += 1) await signInThroughPages(new UserAgent(), await startAuthorization(rp), citizen.nationalId, 'Sai-mat-khau-1');
  const locked = await signInThroughPages(new UserAgent(), await startAuthorization(rp), citizen.nationalId, citizen.password);
  t.false(locked.url.startsWith(RP_CALLBACK), 'locked: even the right password is refused');
  const page = await accountPage(citizen.account.id);
  t.false(shows(page, 'console_accounts.not_locked'), 'the page says it is locked');

  const unlocked = await act(citizen.account.id, 'unlock');
  t.true(shows(unlocked, 'console_accounts.done.unlock'));
  t.true(shows(unlocked, 'console_accounts.not_locked'));
  t.true((await signInThroughPages(new UserAgent(), await startAuthorization(rp), citizen.nationalId, citizen.password)).url.startsWith(RP_CALLBACK));
  t.is((await events('admin.account.unlocked', citizen.account.id))[0].details.unlocked, true);

  const required = await act(citizen.account.id, 'require-password-change');
  t.true(shows(required, 'console_accounts.done.require-password-change'));
  const next = await signInThroughPages(new UserAgent(), await startAuthorization(rp), citizen.nationalId, citizen.password);
  t.false(next.url.startsWith(RP_CALLBACK));
  t.true(next.body.includes('autocomplete="new-password"'), 'the new-password page');
  t.is((await events('admin.account.password_change_required', citizen.account.id)).length, 1);
});

test.serial('signing an account out everywhere kills its refresh tokens, and is audited', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0356006611' });
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  const done = await act(citizen.account.id, 'revoke-sessions');
  t.true(shows(done, 'console_accounts.done.revoke-sessions'));
  t.is((await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, tokens.refresh_token!)))?.error, 'invalid_grant');
  t.is((await knex()('oidc_models').where({ account_id: citizen.account.id }).whereIn('model', ['Session', 'RefreshToken'])).length, 0);
  t.is((await events('admin.account.sessions_revoked', citizen.account.id))[0].details.operator, operator.who.account.id);
});

/** Every text or jsonb value in the database that contains one of `needles`: table.column. */
async function whereFound(needles: readonly string[]): Promise<string[]> {
  const columns: Array<{ table_name: string; column_name: string }> = await knex()('information_schema.columns')
    .select('table_name', 'column_name')
    .where({ table_schema: 'public' })
    .whereIn('data_type', ['text', 'jsonb', 'character varying', 'ARRAY']);
  const places: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    for (const needle of needles) {
      const rows = await knex().raw(`SELECT 1 FROM ?? WHERE CAST(?? AS text) LIKE ? LIMIT 1`, [table, column, `%${needle}%`]);
      if (rows.rows.length) places.push(`${table}.${column} has ${needle.slice(0, 6)}…`);
    }
  }
  return places;
}

test.serial('erasing an account needs a recent sign-in and its code typed, then leaves no identifier of the person anywhere in the database', async (t) => {
  const deleter = await signedIn(['account_operator']);
  const citizen = await createTestCitizen(server, { phone: '0356007711' });
  await knex()('accounts').where({ id: citizen.account.id }).update({ username: 'xoatoanbo', email: 'xoa@example.vn' });
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  await signInThroughPages(new UserAgent(), await startAuthorization(rp), citizen.nationalId, 'Sai-mat-khau-1');
  const deletePath = `/admin/accounts/${citizen.account.id}/delete`;

  now += 6 * 60_000;
  const stale = await deleter.agent.get(`${server.url}${deletePath}`);
  t.is(stale.status, 401, 'more than 5 minutes after the sign-in: confirm who you are first');
  t.true(shows(stale, 'console.reauth_heading'));
  const unconfirmedPost = await deleter.agent.request(`${server.url}${deletePath}`, { form: { confirm: citizen.account.id.slice(0, 8), _csrf: 'x'.repeat(43) } });
  t.is(unconfirmedPost.status, 403, 'a forged token is refused first');

  now += 31_000;
  const confirmPage = await signInToConsole(server, deleter.agent, deleter.who, epoch(), `/admin/login?reauth=1&return=${encodeURIComponent(deletePath)}`);
  t.is(confirmPage.status, 200);
  t.true(shows(confirmPage, 'console_accounts.delete.confirm_label', { code: citizen.account.id.slice(0, 8) }));
  const form = formTo(confirmPage, deletePath);
  const wrong = await deleter.agent.submit(confirmPage, { action: form.action, fields: { ...form.fields, confirm: 'deadbeef' } });
  t.is(wrong.status, 400);
  t.true(shows(wrong, 'console_accounts.delete.wrong_code'));
  t.is((await server.services.accounts.findById(citizen.account.id))?.status, 'active', 'a wrong code changes nothing');

  now += 6 * 60_000;
  const late = await deleter.agent.request(`${server.url}${deletePath}`, { form: { ...form.fields, confirm: citizen.account.id.slice(0, 8) } });
  t.is(late.status, 401, 'the POST too needs a recent sign-in');
  t.is((await server.services.accounts.findById(citizen.account.id))?.status, 'active');

  const { sealer } = server.services;
  const needles = [
    citizen.nationalId, '+84356007711', '0356007711', 'xoatoanbo', 'xoa@example.vn',
    sealer.lookup(citizen.nationalId, 'accounts.national_id'), sealer.lookup('+84356007711', 'accounts.phone'), sealer.lookup('+84356007711', 'otp.phone'),
    sealer.lookup(`nationalId:${citizen.nationalId}`, 'signin.identifier'), sealer.lookup('phone:+84356007711', 'signin.identifier'),
  ];
  const before = await whereFound(needles);
  for (const place of ['accounts.national_id_hmac', 'accounts.phone_hmac', 'accounts.username', 'accounts.email', 'sign_in_throttles.key']) {
    t.true(before.some((found) => found.startsWith(place)), `before the erasure the search finds ${place}`);
  }

  now += 31_000;
  const fresh = await signInToConsole(server, deleter.agent, deleter.who, epoch(), `/admin/login?reauth=1&return=${encodeURIComponent(deletePath)}`);
  const deleted = await deleter.agent.submit(fresh, { action: deletePath, fields: { ...formTo(fresh, deletePath).fields, confirm: citizen.account.id.slice(0, 8).toUpperCase() } });
  t.is(deleted.status, 200);
  t.true(shows(deleted, 'console_accounts.done.delete'));
  t.true(shows(deleted, 'console_accounts.deleted_name'));
  t.false(hasFormTo(deleted, `/admin/accounts/${citizen.account.id}/disable`), 'nothing more to do with it');

  const row = await knex()('accounts').where({ id: citizen.account.id }).first();
  for (const column of ['national_id_enc', 'national_id_hmac', 'tax_code_enc', 'tax_code_hmac', 'phone_enc', 'phone_hmac', 'profile_enc', 'password_hash', 'email', 'username', 'birthdate', 'gender']) t.is(row[column], null, column);
  t.is(row.status, 'deleted');
  t.is(row.full_name, '', 'the name is gone (other people here are called Nguyễn Văn An too, so it is checked in this row)');
  t.deepEqual(await whereFound(needles), []);
  for (const table of ['totp_factors', 'recovery_codes', 'consents', 'password_history', 'operator_sessions', 'pending_registrations', 'otp_challenges']) {
    const column = table === 'otp_challenges' ? 'subject' : 'account_id';
    t.is((await knex()(table).where({ [column]: citizen.account.id })).length, 0, table);
  }
  t.is((await knex()('oidc_models').where({ account_id: citizen.account.id })).length, 0, 'no session, token or grant');
  t.is((await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, tokens.refresh_token!)))?.error, 'invalid_grant');
  const signIn = await signInThroughPages(new UserAgent(), await startAuthorization(rp), citizen.nationalId, citizen.password);
  t.false(signIn.url.startsWith(RP_CALLBACK));
  const trail = await knex()('audit_events').where({ account_id: citizen.account.id }).orderBy('id');
  t.true(trail.some((event) => event.type === 'signin.succeeded'), 'the audit trail stays, under the account’s id');
  const deletion = trail.filter((event) => event.type === 'admin.account.deleted');
  t.is(deletion.length, 1);
  t.is(deletion[0].details.operator, deleter.who.account.id);
  t.deepEqual(found(await search(operator.agent, 'identifier', citizen.nationalId)), []);
});

test.serial('hostile requests change nothing: ids that are no UUID, a missing or forged CSRF token, an account operator acting on a super-administrator', async (t) => {
  for (const path of ['/admin/accounts/not-a-uuid', '/admin/accounts/..%2F..%2Fetc', `/admin/accounts/${'a'.repeat(5000)}`, '/admin/accounts/00000000-0000-0000-0000-000000000000']) {
    t.is((await operator.agent.request(`${server.url}${path}`)).status, 404, path.slice(0, 40));
  }
  t.is((await operator.agent.request(`${server.url}/admin/accounts/not-a-uuid/disable`, { form: { _csrf: 'x' } })).status, 404);
  const citizen = await account({ fullName: 'Đặng Văn Giữ', nationalId: '079301000127', phone: '+84356008811' });
  const page = await accountPage(citizen.id);
  const token = formTo(page, `/admin/accounts/${citizen.id}/disable`).fields._csrf!;
  const other = await account({ fullName: 'Đặng Văn Khác', nationalId: '079301000128', phone: '+84356008812' });
  for (const [label, form] of [['missing', {}], ['forged', { _csrf: 'x'.repeat(43) }], ['another account’s', { _csrf: token }]] as const) {
    const answer = await operator.agent.request(`${server.url}/admin/accounts/${other.id}/disable`, { form });
    t.is(answer.status, 403, label);
  }
  const stranger = new UserAgent();
  const noSession = await stranger.request(`${server.url}/admin/accounts/${citizen.id}/disable`, { form: { _csrf: token } });
  t.is(noSession.status, 401, 'no console session');
  t.is((await server.services.accounts.findById(other.id))?.status, 'active');
  t.is((await server.services.accounts.findById(citizen.id))?.status, 'active');
  t.is((await knex()('audit_events').where({ type: 'admin.account.disabled' }).whereIn('account_id', [citizen.id, other.id])).length, 0);

  const admin = await createTestOperator(server, ['super_admin']);
  const adminPage = await accountPage(admin.account.id);
  t.false(hasFormTo(adminPage, `/admin/accounts/${admin.account.id}/disable`), 'an account operator is offered nothing on a super-administrator’s account');
  const refused = await operator.agent.request(`${server.url}/admin/accounts/${admin.account.id}/disable`, { form: { _csrf: formTo(page, `/admin/accounts/${citizen.id}/disable`).fields._csrf! } });
  t.is(refused.status, 403);
  t.is((await server.services.accounts.findById(admin.account.id))?.status, 'active');
});

test.serial('the last active super-administrator cannot be disabled, not even by itself', async (t) => {
  await knex()('accounts').whereRaw(`roles @> '["super_admin"]'::jsonb`).update({ status: 'disabled' });
  const only = await signedIn(['super_admin']);
  const refused = await act(only.who.account.id, 'disable', only.agent);
  t.true(shows(refused, 'console_accounts.last_super_admin'));
  t.is((await server.services.accounts.findById(only.who.account.id))?.status, 'active');
});

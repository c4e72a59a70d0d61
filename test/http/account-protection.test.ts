import test from 'ava';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { latestCode, readOutbox, startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, rulesNotMet, UserAgent, type Page } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, startAuthorization, type FlowStart } from '../helpers/relying-party.ts';
import { createCitizenAccount } from '../../src/admin/operator-create.ts';
import { hashPassword } from '../../src/passwords/index.ts';
import { accountThrottleKeys } from '../../src/accounts/index.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';
import { withFailingInsert } from '../helpers/failing-write.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
const DAY = 24 * 3600_000;
let server: TestServer;
let rp: oidc.Configuration;

test.before(async () => {
  server = await startTestServer({ clock });
  rp = await discover(server, await createTestClient(server));
});
test.after.always(async () => {
  await server?.stop();
});

const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>) => page.body.includes(escapeHtml(translate('vi', key, params)));
const knex = () => server.services.db.knex;

async function submit(agent: UserAgent, page: Page, fields: Record<string, string>, index = 0) {
  const form = readForm(page, undefined, index);
  return agent.submit(page, { action: form.action, fields: { ...form.fields, ...fields } }, RP_CALLBACK);
}

/** Password sign-in; returns the page after it (a step, the consent, or the callback). */
async function passwordStep(agent: UserAgent, identifier: string, password: string, params: Record<string, string> = {}) {
  const start = await startAuthorization(rp, params);
  const login = await agent.get(start.url.href, RP_CALLBACK);
  return { start, page: await submit(agent, login, { identifier, password }) };
}

/** Gives consent if asked, and exchanges the code. */
async function tokensFrom(agent: UserAgent, start: FlowStart, page: Page) {
  const callback = page.url.startsWith(RP_CALLBACK) ? page : await submit(agent, page, { decision: 'allow' });
  return completeFlow(rp, start, callback);
}

test.serial('a password aged 91 days must be changed before any token: not to itself, nor to any earlier one', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000101' });
  const earlier = 'Ngày-Xưa-Cũ-2019';
  await knex()('password_history').insert({ account_id: citizen.account.id, password_hash: await hashPassword(earlier, server.config.argon2), created_at: new Date(now - 400 * DAY) });
  await knex()('accounts').where({ id: citizen.account.id }).update({ password_changed_at: new Date(now - 91 * DAY) });

  const agent = new UserAgent();
  const { start, page } = await passwordStep(agent, citizen.nationalId, citizen.password);
  t.false(page.url.startsWith(RP_CALLBACK), 'no code yet');
  t.true(shows(page, 'password_change.heading'));
  t.is(await knex()('oidc_models').where({ model: 'AuthorizationCode', account_id: citizen.account.id }).first(), undefined);

  for (const reused of [citizen.password, earlier]) {
    const refused = await submit(agent, page, { password: reused, passwordConfirmation: reused });
    t.is(refused.status, 400);
    t.deepEqual(rulesNotMet(refused), ['reused'], reused);
  }
  const fresh = 'Mùa-Thu-Hà-Nội-26';
  const after = await submit(agent, page, { password: fresh, passwordConfirmation: fresh });
  const tokens = await tokensFrom(agent, start, after);
  t.is(tokens.claims()!.sub, citizen.account.id);
  const sms = (await readOutbox(server)).filter((message) => message.to === '+84977000101');
  t.is(sms.length, 1, 'the person is told by SMS that the password changed');
  t.false(sms[0].body.includes(fresh));
  const history = await knex()('password_history').where({ account_id: citizen.account.id });
  t.is(history.length, 2, 'the replaced password joined the history');
});

test.serial('from 14 days before expiry the person is warned, and may go on or change now', async (t) => {
  const citizen = await createTestCitizen(server);
  await knex()('accounts').where({ id: citizen.account.id }).update({ password_changed_at: new Date(now - 80 * DAY) });
  const agent = new UserAgent();
  const { start, page } = await passwordStep(agent, citizen.nationalId, citizen.password);
  t.true(shows(page, 'password_warning.message', { days: 10 }));
  const later = await submit(agent, page, {}, 1);
  const tokens = await tokensFrom(agent, start, later);
  t.is(tokens.claims()!.sub, citizen.account.id);
});

test.serial('an operator can require a new password at the next sign-in', async (t) => {
  const citizen = await createTestCitizen(server);
  await server.services.accounts.requirePasswordChange(citizen.account.id);
  const { page } = await passwordStep(new UserAgent(), citizen.nationalId, citizen.password);
  t.true(shows(page, 'password_change.reason_required'));
});

test.serial('five wrong passwords lock the account; the right one is refused while locked; the lock lifts with time', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000102' });
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    const { page } = await passwordStep(new UserAgent(), citizen.nationalId, `Sai-mật-khẩu-${attempt}x`);
    t.is(page.status, 401);
  }
  const fifth = await passwordStep(new UserAgent(), citizen.nationalId, 'Sai-mật-khẩu-5x');
  t.is(fifth.page.status, 429);
  t.true(shows(fifth.page, 'signin.locked', { minutes: 15 }));
  const sms = (await readOutbox(server)).filter((message) => message.to === '+84977000102');
  t.is(sms.length, 1, 'the account holder is told by SMS');

  const rightButLocked = await passwordStep(new UserAgent(), citizen.nationalId, citizen.password);
  t.is(rightButLocked.page.status, 429);
  const events = await knex()('audit_events').where({ account_id: citizen.account.id }).whereIn('type', ['account.locked', 'signin.throttled']);
  t.deepEqual(events.map((event) => event.type).sort(), ['account.locked', 'signin.throttled']);

  now += 15 * 60_000 + 1000;
  const agent = new UserAgent();
  const { start, page } = await passwordStep(agent, citizen.nationalId, citizen.password);
  t.truthy((await tokensFrom(agent, start, page)).access_token);
});

test.serial('an unknown identifier is locked the same way: the lock tells nothing', async (t) => {
  const pages: Page[] = [];
  for (let attempt = 1; attempt <= 5; attempt += 1) pages.push((await passwordStep(new UserAgent(), '001099777777', `Sai-mật-khẩu-${attempt}x`)).page);
  t.deepEqual(pages.map((page) => page.status), [401, 401, 401, 401, 429]);
  t.true(shows(pages[4], 'signin.locked', { minutes: 15 }));
});

test.serial('an operator unlock lets the person in at once', async (t) => {
  const citizen = await createTestCitizen(server);
  for (let attempt = 1; attempt <= 5; attempt += 1) await passwordStep(new UserAgent(), citizen.nationalId, `Sai-mật-khẩu-${attempt}x`);
  t.is((await passwordStep(new UserAgent(), citizen.nationalId, citizen.password)).page.status, 429);
  t.true(await server.services.lockout.unlock(citizen.account.id, accountThrottleKeys(server.services.sealer, citizen.account)));
  const agent = new UserAgent();
  const { start, page } = await passwordStep(agent, citizen.nationalId, citizen.password);
  t.truthy((await tokensFrom(agent, start, page)).access_token);
});

test.serial('an administrator enrols an authenticator at the first sign-in, then signs in with it or with a recovery code once', async (t) => {
  const password = 'Sóng-Biển-Lăng-Cô-8';
  const admin = await createCitizenAccount(server.services, {
    nationalId: '046088000555', fullName: 'Lê Quản Trị', birthdate: '1988-08-08', gender: 'male', phone: '0977000103', password, roles: ['super_admin'],
  });
  const agent = new UserAgent();
  const first = await passwordStep(agent, '046088000555', password);
  t.true(shows(first.page, 'totp.enrol_required'), 'no way around enrolment');
  t.regex(first.page.body, /src="data:image\/png;base64,/);
  const secret = /<code class="secret">([A-Z2-7]+)<\/code>/.exec(first.page.body)![1];
  const codesPage = await submit(agent, first.page, { code: await generate({ secret, epoch: Math.floor(now / 1000) }) });
  const recovery = [...codesPage.body.matchAll(/<li><code>([0-9a-z-]+)<\/code><\/li>/gi)].map((match) => match[1]);
  t.is(recovery.length, 10);
  const enrolled = await tokensFrom(agent, first.start, await submit(agent, codesPage, {}));
  t.deepEqual(enrolled.claims()!.amr, ['pwd', 'otp']);
  t.is(enrolled.claims()!.acr, 'urn:xacthuc:loa:2');

  now += 60_000;
  const again = new UserAgent();
  const second = await passwordStep(again, '046088000555', password);
  t.true(shows(second.page, 'totp.heading'));
  const wrong = await submit(again, second.page, { code: '000000' });
  t.true(shows(wrong, 'totp.invalid'));
  const viaApp = await tokensFrom(again, second.start, await submit(again, wrong, { code: await generate({ secret, epoch: Math.floor(now / 1000) }) }));
  t.deepEqual(viaApp.claims()!.amr, ['pwd', 'otp']);

  const third = new UserAgent();
  const withRecovery = await passwordStep(third, '046088000555', password);
  const viaRecovery = await tokensFrom(third, withRecovery.start, await submit(third, withRecovery.page, { code: recovery[0] }));
  t.is(viaRecovery.claims()!.sub, admin.id);

  const fourth = new UserAgent();
  const reuse = await passwordStep(fourth, '046088000555', password);
  const refused = await submit(fourth, reuse.page, { code: recovery[0] });
  t.true(shows(refused, 'totp.invalid'), 'a recovery code works once');
  t.true((await readOutbox(server)).some((message) => message.to === '+84977000103'), 'told by SMS that a second factor was added');
});

test.serial('an app asking for more than a password gets an SMS step-up for a person without an authenticator', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000104' });
  const agent = new UserAgent();
  const { start, page } = await passwordStep(agent, citizen.nationalId, citizen.password, { acr_values: 'urn:xacthuc:loa:2' });
  t.true(page.body.includes('autocomplete="one-time-code"'));
  const tokens = await tokensFrom(agent, start, await submit(agent, page, { code: await latestCode(server, '+84977000104') }));
  t.is(tokens.claims()!.acr, 'urn:xacthuc:loa:2');
  t.deepEqual(tokens.claims()!.amr, ['pwd', 'sms']);
});

test.serial('the SMS step of a sign-in has its own heading, and its English link opens the same sign-in in English', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000112' });
  const agent = new UserAgent();
  const { page } = await passwordStep(agent, citizen.nationalId, citizen.password, { acr_values: 'urn:xacthuc:loa:2' });
  t.regex(page.body, new RegExp(`<h1 id="page-heading">${escapeHtml(translate('vi', 'sms_code.heading'))}</h1>`));
  // The step answered a POST; its state lives in its form, so the link restarts the sign-in.
  const href = /<a href="([^"]+)" hreflang="en"/.exec(page.body)![1].replace(/&amp;/g, '&');
  const english = await agent.get(new URL(href, page.url).href);
  t.is(english.status, 200);
  t.regex(english.body, /<html lang="en"/);
  t.true(english.body.includes(escapeHtml(translate('en', 'login.heading'))));
});

test.serial('a person signed in with a password only is stepped up by SMS when an app asks for loa:2, and not asked again after', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000111' });
  const agent = new UserAgent();
  const signedIn = await passwordStep(agent, citizen.nationalId, citizen.password);
  t.is((await tokensFrom(agent, signedIn.start, signedIn.page)).claims()!.acr, 'urn:xacthuc:loa:1');

  // OpenID Connect Core §3.1.2.1: the session's loa:1 does not meet acr_values loa:2.
  const stepUp = await startAuthorization(rp, { prompt: '', acr_values: 'urn:xacthuc:loa:2' });
  const asked = await agent.get(stepUp.url.href, RP_CALLBACK);
  t.false(asked.url.startsWith(RP_CALLBACK), 'no code for the password-only session');
  const otp = await submit(agent, asked, { identifier: citizen.nationalId, password: citizen.password });
  t.true(otp.body.includes('autocomplete="one-time-code"'), 'the SMS step follows the password');
  const raised = await tokensFrom(agent, stepUp, await submit(agent, otp, { code: await latestCode(server, '+84977000111') }));
  t.is(raised.claims()!.acr, 'urn:xacthuc:loa:2');
  t.deepEqual(raised.claims()!.amr, ['pwd', 'sms']);

  for (const level of ['urn:xacthuc:loa:2', 'urn:xacthuc:loa:1']) {
    const again = await startAuthorization(rp, { prompt: '', acr_values: level });
    const page = await agent.get(again.url.href, RP_CALLBACK);
    t.true(page.url.startsWith(RP_CALLBACK), `${level}: the loa:2 session is not asked again`);
    t.is((await completeFlow(rp, again, page)).claims()!.acr, 'urn:xacthuc:loa:2', `${level}: the session's level`);
  }
});

test.serial('a hash made with older argon2 parameters is upgraded at the next sign-in', async (t) => {
  const citizen = await createTestCitizen(server);
  const old = await hashPassword(citizen.password, { memoryCost: 8192, timeCost: 3, parallelism: 1 });
  await knex()('accounts').where({ id: citizen.account.id }).update({ password_hash: old });
  const agent = new UserAgent();
  const { start, page } = await passwordStep(agent, citizen.nationalId, citizen.password);
  await tokensFrom(agent, start, page);
  const stored = (await knex()('accounts').select('password_hash').where({ id: citizen.account.id }).first()).password_hash as string;
  t.not(stored, old);
  t.regex(stored, new RegExp(`m=${server.config.argon2.memoryCost},p=1,t=${server.config.argon2.timeCost}\\$`));
  t.is(await knex()('password_history').where({ account_id: citizen.account.id }).first(), undefined, 'an upgrade is not a password change');
});

test.serial('a citizen turns on an authenticator from a signed-in browser; the next sign-in asks for it', async (t) => {
  const stranger = await new UserAgent().get(`${server.url}/account/two-factor`);
  t.is(stranger.status, 401);
  t.true(shows(stranger, 'two_factor.sign_in_first'));

  const citizen = await createTestCitizen(server, { phone: '0977000105' });
  const agent = new UserAgent();
  const { start, page } = await passwordStep(agent, citizen.nationalId, citizen.password);
  await tokensFrom(agent, start, page);

  const enrol = await agent.get(`${server.url}/account/two-factor`);
  t.is(enrol.status, 200);
  const secret = /<code class="secret">([A-Z2-7]+)<\/code>/.exec(enrol.body)![1];
  const forged = await new UserAgent().request(`${server.url}/account/two-factor`, { form: { ...readForm(enrol).fields, code: '123456' } });
  t.is(forged.status, 401, 'another browser cannot confirm it');
  const codes = await submit(agent, enrol, { code: await generate({ secret, epoch: Math.floor(now / 1000) }) });
  t.is([...codes.body.matchAll(/<li><code>/g)].length, 10);

  now += 60_000;
  const next = await passwordStep(new UserAgent(), citizen.nationalId, citizen.password);
  t.true(shows(next.page, 'totp.heading'));
});

test.serial('a step cannot be skipped by posting its ticket to another step', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000106' });
  const agent = new UserAgent();
  const { page } = await passwordStep(agent, citizen.nationalId, citizen.password, { acr_values: 'urn:xacthuc:loa:2' });
  const smsForm = readForm(page);
  const uidPath = new URL(smsForm.action, page.url).pathname.replace(/\/sms-code$/, '');
  for (const elsewhere of ['totp-enrol', 'password', 'continue', 'password-later', 'totp']) {
    const response = await agent.request(`${server.url}${uidPath}/${elsewhere}`, { form: { ...smsForm.fields, code: '123456', password: 'Biển-Nhớ-Trịnh-77x', passwordConfirmation: 'Biển-Nhớ-Trịnh-77x' } });
    t.true([400, 403].includes(response.status), `${elsewhere}: ${response.status}`);
    t.false((response.headers.get('location') ?? '').includes('/auth/'), `${elsewhere}: not finished`);
  }
  t.false(await server.services.totp.isEnrolled(citizen.account.id), 'no authenticator was slipped in');
  t.is(await knex()('password_history').where({ account_id: citizen.account.id }).first(), undefined, 'the password did not change');
});

test.serial('a right password does not reset the count of wrong authenticator codes; only a right code does', async (t) => {
  const password = 'Đồi-Vọng-Cảnh-42';
  const account = await createCitizenAccount(server.services, {
    nationalId: '046190000888', fullName: 'Trương Thị Lan', birthdate: '1990-04-04', gender: 'female', phone: '0977000108', password,
  });
  const { secret } = await server.services.totp.beginEnrolment(account.id, 'lan');
  const recovery = await server.services.totp.confirmEnrolment(account.id, await generate({ secret, epoch: Math.floor(now / 1000) }));
  /** A right password, then `count` wrong codes. */
  const wrongCodes = async (count: number) => {
    const agent = new UserAgent();
    const { page } = await passwordStep(agent, '046190000888', password);
    t.true(shows(page, 'totp.heading'), 'the password step is never locked by wrong codes');
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 1) statuses.push((await submit(agent, page, { code: '000000' })).status);
    return { agent, page, statuses };
  };

  // Four wrong codes, then a right one (a recovery code): the count starts again.
  const first = await wrongCodes(4);
  t.deepEqual(first.statuses, [400, 400, 400, 400]);
  t.is((await submit(first.agent, first.page, { code: recovery[0] })).status, 200, 'signed in: the consent page');
  // Four wrong codes, a right password, one more wrong code: the fifth wrong code locks.
  t.deepEqual((await wrongCodes(4)).statuses, [400, 400, 400, 400]);
  const locked = await wrongCodes(1);
  t.deepEqual(locked.statuses, [429]);
  t.is((await submit(locked.agent, locked.page, { code: recovery[1] })).status, 429, 'locked: even a right code is refused');
  const throttles = await knex()('sign_in_throttles').select('key');
  t.false(throttles.some((row) => row.key.startsWith('identifier-ip:') && row.key.includes(account.id)), 'no key is written that nothing reads');
});

test.serial('a second factor is not guessed past the lock: once locked, even the right code is refused', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000107' });
  const agent = new UserAgent();
  const { page } = await passwordStep(agent, citizen.nationalId, citizen.password, { acr_values: 'urn:xacthuc:loa:2' });
  const right = await latestCode(server, '+84977000107');
  const wrong = right === '000000' ? '111111' : '000000';
  let current = page;
  for (let attempt = 1; attempt <= 5; attempt += 1) current = await submit(agent, current, { code: wrong });
  t.is(current.status, 429);
  const refused = await submit(agent, page, { code: right });
  t.is(refused.status, 429);
  t.true(shows(refused, 'totp.too_many_attempts'));
});

test.serial('a password change whose event cannot be written changes nothing: no new password, no history, no session ended; the same page then works', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000199' });
  await server.services.accounts.requirePasswordChange(citizen.account.id);
  // Another browser where the person is signed in: a change that happened would end it.
  const elsewhere = new UserAgent();
  const first = await passwordStep(elsewhere, citizen.nationalId, citizen.password);
  t.true(shows(first.page, 'password_change.heading'));
  const chosen = 'Sông-Hàn-Đêm-Trăng-27';
  await tokensFrom(elsewhere, first.start, await submit(elsewhere, first.page, { password: chosen, passwordConfirmation: chosen }));
  await server.services.accounts.requirePasswordChange(citizen.account.id);
  const sessionsBefore = (await knex()('oidc_models').where({ model: 'Session', account_id: citizen.account.id })).length;
  const before = await knex()('accounts').where({ id: citizen.account.id }).first();
  const historyBefore = (await knex()('password_history').where({ account_id: citizen.account.id })).length;

  const agent = new UserAgent();
  const { start, page } = await passwordStep(agent, citizen.nationalId, chosen);
  t.true(shows(page, 'password_change.heading'));
  const next = 'Núi-Ngự-Bình-Xanh-28';
  const failed = await withFailingInsert(knex(), 'audit_events', `NEW.type = 'password.changed' AND NEW.account_id = '${citizen.account.id}'`, () =>
    submit(agent, page, { password: next, passwordConfirmation: next }));
  t.is(failed.status, 500);
  const after = await knex()('accounts').where({ id: citizen.account.id }).first();
  t.is(after.password_hash, before.password_hash, 'the password is unchanged');
  t.true(after.password_change_required, 'still to be changed');
  t.is((await knex()('password_history').where({ account_id: citizen.account.id })).length, historyBefore, 'no history row');
  t.is((await knex()('oidc_models').where({ model: 'Session', account_id: citizen.account.id })).length, sessionsBefore, 'no session ended');

  const done = await submit(agent, page, { password: next, passwordConfirmation: next });
  t.truthy((await tokensFrom(agent, start, done)).access_token, 'the same page then finishes the sign-in');
  t.is((await knex()('audit_events').where({ account_id: citizen.account.id, type: 'password.changed' })).length, 2, 'one event per change made');
});

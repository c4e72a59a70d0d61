// Every page a person can reach, walked on a 360 × 740 phone in Vietnamese and in English, with
// JavaScript on and off (issue 12): home, not found, errors, sign-in and its errors, the lock,
// consent (first and more), the SMS code and the authenticator at sign-in, its enrolment and
// recovery codes, the forced and the chosen password change, registration of a citizen and of
// an organization step by step with and without errors, its SMS code and its end, the password
// reset, the account's two-factor page, logout and logged out. Each page is audited by
// helpers/page-audit.ts and saved as test/browser/screenshots/<language>-<js|nojs>-<page>.png.
import test, { type ExecutionContext } from 'ava';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { auditPage, openPhone } from '../helpers/page-audit.ts';
import { latestCode, startTestServer, type TestServer } from '../helpers/server.ts';
import { completeFlow, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { createCitizenAccount } from '../../src/admin/index.ts';
import { t as translate, type Locale, type MessageKey } from '../../src/i18n/index.ts';

const RP_BYE = 'https://rp.example.vn/bye';
const CLIENT_NAME = 'Hue-S';
// The app the person comes from and returns to: a page of its own on a loopback port (a real
// server, so nothing in the browser is faked), registered beside the tests' usual callback.
let app: Server;
let appUrl: string;
const DAY = 24 * 3600_000;
const PASSWORD = 'Mật-khẩu-An-2026';
const NEW_PASSWORD = 'Đồi-Thông-Hai-Mộ-9';

let server: TestServer;
let browser: Browser;
let rp: oidc.Configuration;

test.before(async () => {
  app = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Hue-S</title><p id="arrived">Hue-S</p>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  [server, browser] = await Promise.all([
    startTestServer({ env: { OTP_MAX_PER_IP_PER_HOUR: '1000', REGISTRATION_MAX_PER_IP_PER_HOUR: '1000', LOCKOUT_MAX_FAILURES_PER_IP: '1000' } }),
    launchChromium(),
  ]);
  const client = await createTestClient(server, {
    name: CLIENT_NAME, redirectUris: [`${appUrl}/callback`, RP_CALLBACK], postLogoutRedirectUris: [`${appUrl}/bye`, RP_BYE],
  });
  rp = await discover(server, client);
});
test.after.always(async () => {
  await browser?.close();
  await server?.stop();
  app?.close();
});

/** An authorization request of the app, returning to its own page. */
async function authorization(params: Record<string, string>): Promise<string> {
  return (await startAuthorization(rp, { redirect_uri: `${appUrl}/callback`, ...params })).url.href;
}

let serial = 0;

/** An account of its own for one page of one walk: a personal number, a phone, a password. */
async function person(options: { roles?: string[]; passwordAgeDays?: number } = {}) {
  serial += 1;
  const unique = String((process.pid % 1000) * 100 + serial).padStart(5, '0');
  const nationalId = `0461905${unique}`;
  const phone = `09770${unique}`;
  const account = await createCitizenAccount(server.services, {
    nationalId, fullName: 'Trần Thị Lan', birthdate: '1990-05-17', gender: 'female', phone, password: PASSWORD, roles: options.roles as never,
  });
  if (options.passwordAgeDays !== undefined) {
    await server.services.db.knex('accounts').where({ id: account.id }).update({ password_changed_at: new Date(Date.now() - options.passwordAgeDays * DAY) });
  }
  return { account, nationalId, phone: `+84${phone.slice(1)}` };
}

/** A tax code whose check digit holds (IDENTIFIERS.md), different for every call. */
function taxCode(): string {
  serial += 1;
  const body = `01${String((process.pid * 31 + serial) % 10_000_000).padStart(7, '0')}`;
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const check = 10 - (weights.reduce((sum, weight, index) => sum + weight * Number(body[index]), 0) % 11);
  return `${body}${check === 10 ? 0 : check}`;
}

async function walk(t: ExecutionContext, locale: Locale, javaScript: boolean) {
  const tag = `${locale}-${javaScript ? 'js' : 'nojs'}`;
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, javaScriptEnabled: javaScript });
  const { page, problemsSeen } = await openPhone(context, server.url, [`${appUrl}/`]);
  const problems: string[] = [];
  const walked: string[] = [];
  const typed: string[] = [];
  const say = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);

  /** Audits the page on screen as `name`, after checking it is the page the walk expects. */
  const look = async (name: string, heading?: MessageKey, params?: Record<string, string | number>) => {
    walked.push(name);
    const shown = (await page.locator('h1').first().textContent().catch(() => null))?.trim();
    if (heading && shown !== say(heading, params)) problems.push(`${tag}-${name}: the heading is "${shown}", not the expected "${say(heading, params)}" (at ${page.url()})`);
    problems.push(...(await auditPage(page, `${tag}-${name}`, locale, typed)));
  };
  /** Presses a button as a finger would, the browser's own checks of its form off (to send what is wrong). */
  const press = async (selector: string) => {
    const button = page.locator(selector).first();
    await button.evaluate((element: HTMLButtonElement) => {
      if (element.form) element.form.noValidate = true;
    });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  };
  const fill = async (values: Record<string, string>) => {
    for (const [name, value] of Object.entries(values)) {
      const field = page.locator(`[name="${name}"]:not([type=hidden])`);
      if ((await field.count()) === 0) continue;
      if (value && !/^[\x20-\x7e]*$/.test(value)) typed.push(value);
      if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
  };
  const submit = 'form button[type=submit]';
  /**
   * After a sign-in step: another person signing in on a browser where someone is signed in
   * first ends that session, a page that sends itself on with JavaScript and waits for
   * "Tiếp tục" without it; then an app already granted what it asks goes on without asking.
   */
  let switchSeen = false;
  const allowIfAsked = async () => {
    const heading = (await page.locator('h1').count()) > 0 ? (await page.locator('h1').first().textContent())?.trim() : undefined;
    if (!javaScript && heading === say('switch_account.heading')) {
      if (!switchSeen) await look('switch-account', 'switch_account.heading');
      switchSeen = true;
      await press(submit);
    }
    if ((await page.locator('button[name=decision][value=allow]').count()) > 0) await press('button[name=decision][value=allow]');
  };
  page.setDefaultTimeout(10_000);
  /** A flow begun on its own ends with how a sign-in starts and the way home, not a dead end. */
  const leadsHome = async (name: string) => {
    const home = page.locator('.card a.button[href="/"]');
    if ((await home.count()) === 0 || !(await page.textContent('.card'))!.includes(say('home.how_to'))) problems.push(`${tag}-${name}: a dead end, no way on`);
  };
  const arrived = async (what: string) => {
    if (page.url().startsWith(`${appUrl}/`)) return;
    const heading = await page.locator('h1').first().textContent().catch(() => null);
    problems.push(`${tag}: ${what} did not reach the app, stayed at ${page.url()} showing "${heading?.trim()}" ${(await page.locator('[role=alert]').allTextContents()).join(' ')}`);
  };

  // The site's own pages; the language is chosen once, as a person would with the switch.
  await page.goto(`${server.url}/${locale === 'en' ? '?lang=en' : ''}`);
  await look('home', 'home.heading');
  const missing = await page.goto(`${server.url}/trang-khong-co`);
  t.is(missing!.status(), 404);
  await look('not-found', 'not_found.title');
  await page.goto(`${server.url}/interaction/khong-co`);
  await look('error-interaction');
  await page.goto(`${server.url}/auth?client_id=khong-co-ung-dung&response_type=code&scope=openid`);
  await look('error-provider', 'error.title');

  // Sign-in, its errors, the lock.
  const citizen = await person();
  await page.goto(await authorization({ scope: 'openid profile', prompt: 'login' }));
  await look('sign-in', 'login.heading');
  await press(submit);
  await look('sign-in-empty', 'login.heading');
  await fill({ identifier: citizen.nationalId, password: 'Sai-mật-khẩu-1' });
  await press(submit);
  t.true((await page.textContent('[role=alert]'))!.includes(say('signin.failed')), `${tag}: a wrong password is said`);
  await look('sign-in-failed', 'login.heading');
  const locked = await person();
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await fill({ identifier: locked.nationalId, password: `Sai-mật-khẩu-${attempt}` });
    await press(submit);
  }
  t.true((await page.textContent('[role=alert]'))!.includes(say('signin.locked', { minutes: 15 })), `${tag}: the lock is said`);
  await look('sign-in-locked', 'login.heading');

  // Consent, first and more.
  await fill({ identifier: citizen.nationalId, password: PASSWORD });
  await press(submit);
  await look('consent', 'consent.heading', { client: CLIENT_NAME });
  await press('button[name=decision][value=allow]');
  await arrived('the first consent');
  await page.goto(await authorization({ scope: 'openid profile phone', prompt: 'consent' }));
  await look('consent-more', 'consent.more_heading', { client: CLIENT_NAME });
  await press('button[name=decision][value=allow]');
  await arrived('the second consent');

  // The account's own two-factor page, in the session just made.
  await page.goto(`${server.url}/account/two-factor`);
  await look('two-factor', 'totp.enrol_heading');
  await fill({ code: '000000' });
  await press(submit);
  await look('two-factor-wrong', 'totp.enrol_heading');

  // Logout asked by the app, then done; then asked again once the session is gone.
  await page.goto(oidc.buildEndSessionUrl(rp, { client_id: rp.clientMetadata().client_id }).href);
  await look('logout', 'logout.question_client', { client: CLIENT_NAME });
  await press('button[name=logout][value=yes]');
  await look('logged-out', 'logged_out.title');
  const elsewhere = await person();
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, elsewhere.nationalId, PASSWORD));
  await page.goto(oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${appUrl}/bye` }).href);
  if (!javaScript) {
    await look('logout-session-gone', 'logout_finish.heading');
    await press(submit);
  } else {
    await page.waitForSelector('#arrived');
  }
  await arrived('the logout of a session already gone');

  // A password aged 91 days must be changed; one aged 80 may be.
  const expired = await person({ passwordAgeDays: 91 });
  await page.goto(await authorization({ scope: 'openid', prompt: 'login' }));
  await fill({ identifier: expired.nationalId, password: PASSWORD });
  await press(submit);
  await look('password-change-forced', 'password_change.heading');
  await fill({ password: 'abc', passwordConfirmation: 'abd' });
  await press(submit);
  await look('password-change-errors', 'password_change.heading');
  await fill({ password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
  await press(submit);
  await allowIfAsked();
  await arrived('the forced change');
  const ageing = await person({ passwordAgeDays: 80 });
  await page.goto(await authorization({ scope: 'openid', prompt: 'login' }));
  await fill({ identifier: ageing.nationalId, password: PASSWORD });
  await press(submit);
  await look('password-warning', 'password_warning.heading');
  await press(submit);
  await look('password-change-chosen', 'password_change.heading');
  await fill({ password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
  await press(submit);
  await allowIfAsked();
  await arrived('the chosen change');

  // An app asking for more assurance: an SMS code after the password.
  const stepUp = await person();
  await page.goto(await authorization({ scope: 'openid', prompt: 'login', acr_values: 'urn:xacthuc:loa:2' }));
  await fill({ identifier: stepUp.nationalId, password: PASSWORD });
  await press(submit);
  await look('sign-in-sms-code', 'sms_code.heading');
  await fill({ code: '000000' });
  await press(submit);
  await look('sign-in-sms-code-wrong', 'sms_code.heading');
  await fill({ code: await latestCode(server, stepUp.phone) });
  await press(submit);
  await allowIfAsked();
  await arrived('the SMS code');

  // An administrator enrols an authenticator at the first sign-in, then uses it.
  const admin = await person({ roles: ['super_admin'] });
  await page.goto(await authorization({ scope: 'openid', prompt: 'login' }));
  await fill({ identifier: admin.nationalId, password: PASSWORD });
  await press(submit);
  await look('totp-enrol', 'totp.enrol_heading');
  await fill({ code: '000000' });
  await press(submit);
  await look('totp-enrol-wrong', 'totp.enrol_heading');
  const secret = (await page.locator('code.secret').textContent())!.replace(/\s+/g, '');
  await fill({ code: await generate({ secret }) });
  await press(submit);
  await look('recovery-codes', 'totp.codes_heading');
  const recovery = (await page.locator('.recovery-codes code').first().textContent())!.trim();
  await press(submit);
  await allowIfAsked();
  await arrived('the enrolment');
  await page.goto(await authorization({ scope: 'openid', prompt: 'login' }));
  await fill({ identifier: admin.nationalId, password: PASSWORD });
  await press(submit);
  await look('totp', 'totp.heading');
  await fill({ code: '000000' });
  await press(submit);
  await look('totp-wrong', 'totp.heading');
  await fill({ code: recovery });
  await press(submit);
  await allowIfAsked();
  await arrived('a recovery code');

  // Registration of a citizen, step by step, with and without errors.
  serial += 1;
  const registrant = String((process.pid % 1000) * 100 + serial).padStart(5, '0');
  const answers: Record<string, string> = {
    idType: 'cccd', idNumber: `0461505${registrant}`, issueDate: '01/06/2021', issuePlace: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
    fullName: 'Tôn Nữ Thị Hà', birthdate: '08/03/1950', gender: 'female',
    province: 'hue', ward: 'Phường Thuận Hóa', street: 'Chi Lăng',
    username: `ba-ha-${registrant}`, phone: `09050${registrant}`, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD,
  };
  await page.goto(`${server.url}/register`);
  await look('register', 'register.heading');
  await press('button[name=type][value=citizen]');
  await look('register-citizen-1', 'register.heading_citizen');
  await press('button[name=go][value=next]');
  await look('register-citizen-1-errors', 'register.heading_citizen');
  for (const step of [1, 2, 3]) {
    await fill(answers);
    await press('button[name=go][value=next]');
    await look(`register-citizen-${step + 1}`, 'register.heading_citizen');
  }
  await fill({ ...answers, password: 'abc', passwordConfirmation: 'abd' });
  await press('button[name=go][value=next]');
  await look('register-citizen-4-errors', 'register.heading_citizen');
  await fill(answers);
  await press('button[name=go][value=next]');
  await look('register-sms-code', 'otp.heading');
  await fill({ code: '000000' });
  await press(submit);
  await look('register-sms-code-wrong', 'otp.heading');
  await fill({ code: await latestCode(server, `+84${answers.phone!.slice(1)}`) });
  await press(submit);
  await look('register-done', 'register.done_title');
  await leadsHome('register-done');

  // Registration of an organization, step by step.
  serial += 1;
  const organization: Record<string, string> = {
    taxCode: taxCode(), organizationName: 'Hợp tác xã Nón Lá Phú Cam', representativeName: 'Hoàng Thị Mai', representativeNationalId: '046185000123',
    province: 'hue', ward: 'Phường Phú Xuân', street: 'Hùng Vương',
    username: `htx-non-la-${serial}-${process.pid}`, phone: `09060${String((process.pid % 1000) * 100 + serial).padStart(5, '0')}`, email: '', password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD,
  };
  await page.goto(`${server.url}/register`);
  await press('button[name=type][value=organization]');
  await look('register-organization-1', 'register.heading_organization');
  for (const step of [1, 2, 3]) {
    await fill(organization);
    await press('button[name=go][value=next]');
    await look(`register-organization-${step + 1}`, 'register.heading_organization');
  }
  await fill(organization);
  await press('button[name=go][value=next]');
  await fill({ code: await latestCode(server, `+84${organization.phone!.slice(1)}`) });
  await press(submit);
  await look('register-organization-done', 'register.done_title');
  await leadsHome('register-organization-done');

  // The password reset: who, the code, the new password, done.
  const forgetful = await person();
  await page.goto(`${server.url}/forgot`);
  await look('forgot', 'reset.heading');
  await press(submit);
  await look('forgot-empty', 'reset.heading');
  await fill({ identifier: forgetful.nationalId });
  await press(submit);
  await look('forgot-sms-code', 'otp.heading');
  await fill({ code: '000000' });
  await press(submit);
  await look('forgot-sms-code-wrong', 'otp.heading');
  await fill({ code: await latestCode(server, forgetful.phone) });
  await press(submit);
  await look('forgot-password', 'reset.new_password_heading');
  await fill({ password: 'abc', passwordConfirmation: 'abd' });
  await press(submit);
  await look('forgot-password-errors', 'reset.new_password_heading');
  await fill({ password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
  await press(submit);
  await look('forgot-done', 'reset.title');
  await leadsHome('forgot-done');
  await press('.card a.button[href="/"]');
  await look('home-again', 'home.heading');

  t.deepEqual(problems, [], `${tag}: every page meets the bar`);
  t.deepEqual(problemsSeen(), [], `${tag}: no script error, refused policy or other host`);
  if (!javaScript) t.true(switchSeen, `${tag}: the account switch was pressed through`);
  t.true(walked.length >= 40, `${tag}: ${walked.length} pages walked`);
  await context.close();
}

for (const locale of ['vi', 'en'] as const) {
  for (const javaScript of [true, false]) {
    test(`every page a person can reach, ${locale === 'vi' ? 'in Vietnamese' : 'in English'} with JavaScript ${javaScript ? 'on' : 'off'}, on a 360-px phone: language, no raw text, 44-px targets, labels, one host, no errors`, async (t) => {
      await walk(t, locale, javaScript);
    });
  }
}

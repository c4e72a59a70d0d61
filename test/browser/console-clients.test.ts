// The connected-apps pages in Chromium without JavaScript, on a 360-px phone and a 1280-px desk,
// in Vietnamese and in English: the console's list of apps and requests, a request, its approval
// (the credentials shown once), the request form inside the console (sent wrong, then right), an
// app's page, the operators and agencies pages; an organization's own request form and list at
// xacthuc after it signed in through an app; a person's consent to an app asking for the profile
// and the phone. Every page audited by helpers/page-audit.ts and saved as
// test/browser/screenshots/clients-<language>-<width>-<page>.png.
import test from 'ava';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { auditPage, openPhone } from '../helpers/page-audit.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestOperator } from '../helpers/console.ts';
import { requestFields, signedInOrganization, submitRequest } from '../helpers/onboarding.ts';
import { createTestCitizen, createTestClient, discover, RP_CALLBACK, startAuthorization } from '../helpers/relying-party.ts';
import { createOrganizationAccount } from '../../src/admin/index.ts';
import { t as translate, type Locale, type MessageKey } from '../../src/i18n/index.ts';
import type * as oidc from 'openid-client';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const APP_NAME = 'Cổng tra cứu hồ sơ Huế';
const ACTIVE_NAME = 'Cổng dịch vụ công Thừa Thiên Huế';
const PENDING_NAME = 'Ứng dụng đặt lịch khám bệnh';
const ORG_PASSWORD = 'Tổ-Chức-Số-Huế-26';

let server: TestServer;
let browser: Browser;
let rp: oidc.Configuration;
// The app the person comes from and returns to: a page of its own on a loopback port (a real
// server: a redirect to it is followed as any is, nothing in the browser faked).
let app: Server;
let appUrl: string;

test.before(async () => {
  app = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>App</title><p id="arrived">App</p>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  [server, browser] = await Promise.all([startTestServer({ env: { LOCKOUT_MAX_FAILURES_PER_IP: '1000' } }), launchChromium()]);
  // One app at work and one request waiting, from an organization's own page.
  rp = await discover(server, await createTestClient(server, { name: ACTIVE_NAME, redirectUris: [`${appUrl}/callback`, RP_CALLBACK] }));
  const organization = await signedInOrganization(server);
  const sent = await submitRequest(server, organization.agent, '/integrations/new', requestFields({ name: PENDING_NAME }));
  if (!sent.url.includes('/integrations?submitted=1')) throw new Error(`the waiting request was not sent (${sent.status})`);
});
test.after.always(async () => {
  await browser?.close();
  await server?.stop();
  app?.close();
});

let serial = 0;

/** A tax code whose check digit holds (IDENTIFIERS.md), different for every call. */
function taxCode(): string {
  serial += 1;
  const body = `03${String((process.pid * 37 + serial) % 10_000_000).padStart(7, '0')}`;
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const check = 10 - (weights.reduce((sum, weight, index) => sum + weight * Number(body[index]), 0) % 11);
  return check === 10 ? taxCode() : `${body}${check}`;
}

function uniquePhone(prefix: string): string {
  serial += 1;
  return `${prefix}${String((process.pid % 1000) * 100 + serial).padStart(5, '0')}`;
}

async function newContext(width: number): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 }, isMobile: width === 360, hasTouch: width === 360, javaScriptEnabled: false });
}

/** Presses a button as a finger would, the browser's own checks of its form off (to send what is wrong). */
async function press(page: Page, selector: string) {
  const button = page.locator(selector).first();
  await button.evaluate((element: HTMLButtonElement) => {
    if (element.form) element.form.noValidate = true;
  });
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

for (const width of [360, 1280]) {
  for (const locale of ['vi', 'en'] as const satisfies readonly Locale[]) {
    test.serial(`the connected-apps pages of the console, an organization's requests and the consent, without JavaScript, at ${width} px, in ${locale === 'vi' ? 'Vietnamese' : 'English'}: every page meets the bar`, async (t) => {
      const tag = `clients-${locale}-${width}`;
      const say = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
      const heading = async (page: Page) => (await page.locator('h1').first().textContent())?.trim();
      const problems: string[] = [];
      const seen: (() => string[])[] = [];

      // The operator signs in to the console through xacthuc's pages.
      const operator = await createTestOperator(server, ['super_admin']);
      const consoleContext = await newContext(width);
      const desk = await openPhone(consoleContext, server.url, [`${appUrl}/`]);
      seen.push(desk.problemsSeen);
      const page = desk.page;
      await page.goto(`${server.url}/admin?lang=${locale}`);
      await page.fill('[name=identifier]', operator.nationalId);
      await page.fill('[name=password]', operator.password);
      await press(page, 'form button[type=submit]');
      const secret = (await page.locator('code.secret').textContent())!.replace(/\s+/g, '');
      await page.fill('[name=code]', await generate({ secret }));
      await press(page, 'form button[type=submit]');
      await press(page, 'form button[type=submit]');
      t.is(new URL(page.url()).pathname, '/admin');

      // The list: the app at work and the request waiting.
      await page.goto(`${server.url}/admin/clients`);
      t.is(await heading(page), say('clients.heading'));
      const listed = await page.locator('main').innerText();
      t.true(listed.includes(ACTIVE_NAME) && listed.includes(PENDING_NAME), 'the app at work and the request waiting are listed');
      t.is(await page.locator('.data-table td:not([data-label]), .data-table td[data-label=""]').count(), 0, 'every cell says its column (on a phone the row is a block)');
      problems.push(...(await auditPage(page, `${tag}-list`, locale, [ACTIVE_NAME, PENDING_NAME])));

      // The request form inside the console: sent empty-handed, then right.
      await page.goto(`${server.url}/admin/clients/new`);
      t.is(await heading(page), say('onboarding.heading'));
      problems.push(...(await auditPage(page, `${tag}-new`, locale)));
      await page.fill('#name', APP_NAME);
      await page.fill('#redirect_uris', 'ftp://not-a-web-address');
      await press(page, '#request-form button[type=submit]');
      t.is(await heading(page), say('onboarding.heading'));
      t.true(await page.locator('#request-errors').isVisible(), 'the errors are summed up');
      t.true((await page.locator('[aria-invalid=true]').count()) > 0, 'the wrong fields are marked');
      t.is(await page.inputValue('#name'), APP_NAME, 'what was typed is kept');
      problems.push(...(await auditPage(page, `${tag}-new-errors`, locale, [APP_NAME, 'ftp://not-a-web-address'])));
      const fields = requestFields({ name: APP_NAME });
      const typed = [fields.name!, fields.description!, fields.purpose!, fields.reason_phone!];
      for (const name of ['name', 'description', 'purpose', 'redirect_uris', 'post_logout_redirect_uris', 'reason_phone', 'contacts']) await page.fill(`#${name}`, fields[name]!);
      for (const scope of ['profile', 'phone']) await page.check(`[name=scope_${scope}]`);
      await press(page, '#request-form button[type=submit]');

      // The request's page, then its approval: the credentials shown once.
      t.regex(new URL(page.url()).pathname, /^\/admin\/clients\/requests\/[\w-]+$/);
      t.is(await heading(page), say('clients.request_heading', { name: APP_NAME }));
      problems.push(...(await auditPage(page, `${tag}-request`, locale, [...typed, RP_CALLBACK])));
      await press(page, '#approve-form button[type=submit]');
      t.is(await heading(page), say('clients.credentials_heading'));
      const clientId = (await page.locator('main code').first().textContent())!.trim();
      t.true(await page.locator('code.secret').isVisible(), 'the secret is shown');
      problems.push(...(await auditPage(page, `${tag}-credentials`, locale)));

      // The app's page.
      await page.goto(`${server.url}/admin/clients/${encodeURIComponent(clientId)}`);
      t.is(await heading(page), say('clients.client_heading', { name: APP_NAME }));
      t.is(await page.locator('code.secret').count(), 0, 'the secret is not shown again');
      problems.push(...(await auditPage(page, `${tag}-client`, locale, [APP_NAME, RP_CALLBACK])));

      // The operators, an operator found by a number that is nobody's, and the agencies.
      await page.goto(`${server.url}/admin/operators`);
      t.is(await heading(page), say('console_operators.heading'));
      problems.push(...(await auditPage(page, `${tag}-operators`, locale, ['Lê Thị Quản'])));
      await page.fill('#identifier', '046199999999');
      await press(page, 'form[action="/admin/operators/find"] button[type=submit]');
      t.is(await page.locator('#identifier[aria-invalid=true]').count(), 1, 'nobody found is said beside the field');
      problems.push(...(await auditPage(page, `${tag}-operators-not-found`, locale, ['Lê Thị Quản', '046199999999'])));
      await page.fill('#identifier', operator.nationalId);
      await press(page, 'form[action="/admin/operators/find"] button[type=submit]');
      t.is(await heading(page), 'Lê Thị Quản');
      problems.push(...(await auditPage(page, `${tag}-operator`, locale, ['Lê Thị Quản'])));
      await page.goto(`${server.url}/admin/agencies`);
      t.is(await heading(page), say('console_operators.agencies_heading'));
      problems.push(...(await auditPage(page, `${tag}-agencies`, locale)));
      const agency = `Sở Y tế ${locale} ${width}`;
      await page.fill('#agency-name', agency);
      await press(page, 'form[action="/admin/agencies"] button[type=submit]');
      t.true((await page.locator('[role=status]').innerText()).includes(agency), 'the new agency is announced');
      problems.push(...(await auditPage(page, `${tag}-agency-created`, locale, [agency])));
      await consoleContext.close();

      // An organization signs in through an app (its consent audited), then asks to connect one.
      const taxNumber = taxCode();
      await createOrganizationAccount(server.services, { taxCode: taxNumber, orgName: 'Công ty Cổ phần Số Huế', phone: uniquePhone('09860'), password: ORG_PASSWORD });
      const orgContext = await newContext(width);
      const org = await openPhone(orgContext, server.url, [`${appUrl}/`]);
      seen.push(org.problemsSeen);
      await org.page.goto(`${server.url}/?lang=${locale}`);
      await org.page.goto((await startAuthorization(rp, { scope: 'openid profile phone', redirect_uri: `${appUrl}/callback` })).url.href);
      await org.page.fill('[name=identifier]', taxNumber);
      await org.page.fill('[name=password]', ORG_PASSWORD);
      await press(org.page, 'form button[type=submit]');
      t.is(await heading(org.page), say('consent.heading', { client: ACTIVE_NAME }));
      problems.push(...(await auditPage(org.page, `${tag}-organization-consent`, locale, [ACTIVE_NAME, 'Công ty Cổ phần Số Huế'])));
      await press(org.page, 'button[name=decision][value=allow]');
      t.true(org.page.url().startsWith(`${appUrl}/callback`), 'the organization is back at the app, signed in');
      await org.page.goto(`${server.url}/integrations/new`);
      t.is(await heading(org.page), say('onboarding.heading'));
      problems.push(...(await auditPage(org.page, `${tag}-integrations-new`, locale)));
      await press(org.page, '#request-form button[type=submit]');
      t.true(await org.page.locator('#request-errors').isVisible(), 'an empty request is refused with its errors');
      problems.push(...(await auditPage(org.page, `${tag}-integrations-new-errors`, locale)));
      for (const name of ['name', 'description', 'purpose', 'redirect_uris', 'contacts']) await org.page.fill(`#${name}`, fields[name]!);
      await org.page.check('[name=scope_profile]');
      await press(org.page, '#request-form button[type=submit]');
      t.is(new URL(org.page.url()).pathname, '/integrations');
      t.is(await heading(org.page), say('onboarding.mine_heading'));
      t.true((await org.page.locator('.request-list').innerText()).includes(APP_NAME), 'the request sent is listed');
      problems.push(...(await auditPage(org.page, `${tag}-integrations`, locale, typed)));
      await orgContext.close();

      // A person asked for the profile and the phone by an app: the consent page.
      const citizen = await createTestCitizen(server, { phone: uniquePhone('09150') });
      const personContext = await newContext(width);
      const person = await openPhone(personContext, server.url, [`${appUrl}/`]);
      seen.push(person.problemsSeen);
      await person.page.goto(`${server.url}/?lang=${locale}`);
      await person.page.goto((await startAuthorization(rp, { scope: 'openid profile phone', redirect_uri: `${appUrl}/callback` })).url.href);
      await person.page.fill('[name=identifier]', citizen.nationalId);
      await person.page.fill('[name=password]', citizen.password);
      await press(person.page, 'form button[type=submit]');
      t.is(await heading(person.page), say('consent.heading', { client: ACTIVE_NAME }));
      problems.push(...(await auditPage(person.page, `${tag}-consent`, locale, [ACTIVE_NAME, 'Nguyễn Văn An'])));
      await press(person.page, 'button[name=decision][value=allow]');
      t.true(person.page.url().startsWith(`${appUrl}/callback`), 'the person is back at the app');
      await personContext.close();

      t.deepEqual(problems, []);
      t.deepEqual(seen.flatMap((problemsSeen) => problemsSeen()), []);
    });
  }
}

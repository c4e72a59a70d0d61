// SPEC §6 on a cheap 360-px phone: every link and button is a target a finger can hit (44 px or
// more, apart from its neighbours), on the sign-in page and on a first and a second consent;
// the help line with its phone number is on each of them.
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestCitizen, createTestClient, discover, RP_CALLBACK, startAuthorization } from '../helpers/relying-party.ts';
import { saveScreenshot, tapTargetProblems } from '../helpers/tap-targets.ts';
import { t as translate } from '../../src/i18n/index.ts';

let server: TestServer;
let browser: Browser;

test.before(async () => {
  [server, browser] = await Promise.all([
    startTestServer({ env: { PROVINCE_NAME: 'Tỉnh Thừa Thiên Huế', HELP_PHONE: '0234 3822 123', HELP_EMAIL: 'hotro@sso.hue.gov.vn', HELP_HOURS: 'Mon-Fri 07:30-17:00; Sat 07:30-11:30' } }),
    launchChromium(),
  ]);
});
test.after.always(async () => {
  await browser?.close();
  await server?.stop();
});

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function helpLine(page: Page) {
  const call = page.locator('footer a[href^="tel:"]');
  return { href: await call.getAttribute('href'), height: (await call.boundingBox())!.height };
}

test('on a 360-px phone every link and button of the sign-in and consent pages is at least 44 px high and apart from its neighbours', async (t) => {
  const client = await createTestClient(server, { name: 'Hue-S', scope: 'openid profile phone' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(server.url)) violations.push(`${request.url()} failed`);
  });
  await page.route(`${RP_CALLBACK}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p id="arrived">ok</p>' }));

  const first = await startAuthorization(rp, { scope: 'openid profile', prompt: 'login' });
  await page.goto(first.url.href);
  await saveScreenshot(page, 'sign-in-vi');
  t.deepEqual(await tapTargetProblems(page), [], 'sign-in page');
  t.is(await horizontalOverflow(page), 0);
  t.deepEqual(await helpLine(page), { href: 'tel:02343822123', height: 48 });
  const logo = page.locator('header img');
  t.true(await logo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0), 'the logo is shown');

  await page.goto(`${page.url()}?lang=en`);
  await saveScreenshot(page, 'sign-in-en');
  t.deepEqual(await tapTargetProblems(page), [], 'English sign-in page');

  await page.goto(page.url().replace('lang=en', 'lang=vi'));
  await page.getByLabel(translate('vi', 'login.identifier_label')).fill(citizen.nationalId);
  await page.getByLabel(translate('vi', 'login.password_label')).fill(citizen.password);
  await page.locator('button[type=submit]').click();
  await page.waitForLoadState();
  t.true((await page.textContent('h1'))!.includes(translate('vi', 'consent.heading', { client: 'Hue-S' })), 'a first consent');
  await saveScreenshot(page, 'consent-first');
  t.deepEqual(await tapTargetProblems(page), [], 'first consent page');
  await page.locator('button[name=decision][value=allow]').click();
  await page.waitForSelector('#arrived');

  // The app now asks for the phone number too.
  const wider = await startAuthorization(rp, { scope: 'openid profile phone', prompt: 'consent' });
  await page.goto(wider.url.href);
  t.true((await page.textContent('h1'))!.includes(translate('vi', 'consent.more_heading', { client: 'Hue-S' })), 'a second consent');
  await saveScreenshot(page, 'consent-more');
  t.deepEqual(await tapTargetProblems(page), [], 'second consent page');
  const granted = page.locator('details.granted');
  t.false(await granted.getByText(translate('vi', 'scope.profile')).isVisible(), 'what the app has is folded');
  await granted.locator('summary').tap();
  t.true(await granted.getByText(translate('vi', 'scope.profile')).isVisible(), 'a tap shows it, without JavaScript');
  await saveScreenshot(page, 'consent-more-open');
  t.deepEqual(await tapTargetProblems(page), [], 'second consent page, opened');
  t.is(await horizontalOverflow(page), 0);
  t.deepEqual(await helpLine(page), { href: 'tel:02343822123', height: 48 });
  t.deepEqual(violations, []);
  await context.close();
});

test('on a 360-px phone the registration, reset and error pages keep every target at least 44 px and apart, error links included', async (t) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const shown: Array<[string, string]> = [
    ['register-choice', `${server.url}/register`],
    ['forgot', `${server.url}/forgot`],
    ['error', `${server.url}/interaction/not-an-interaction`],
    ['provider-error', `${server.url}/auth?client_id=no-such-app`],
  ];
  for (const [name, url] of shown) {
    await page.goto(url);
    await saveScreenshot(page, name);
    t.deepEqual(await tapTargetProblems(page), [], name);
    t.is(await horizontalOverflow(page), 0, name);
  }
  // A registration form sent with its fields empty: the summary links to each field in error.
  await page.goto(`${server.url}/register/citizen`);
  await page.locator('form:has(input[name=idNumber])').evaluate((form: HTMLFormElement) => {
    form.noValidate = true;
  });
  await page.locator('button[name=go][value=next]').click();
  await page.waitForLoadState();
  t.true((await page.locator('[role=alert] a').count()) > 1, 'the summary has a link per field');
  await saveScreenshot(page, 'register-errors');
  t.deepEqual(await tapTargetProblems(page), [], 'registration form with errors');
  t.is(await horizontalOverflow(page), 0);
  await context.close();
});

import test from 'ava';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestCitizen, createTestClient, discover, RP_CALLBACK, startAuthorization } from '../helpers/relying-party.ts';
import { t as translate } from '../../src/i18n/index.ts';

let server: TestServer;
let browser: Browser;

test.before(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
});
test.after.always(async () => {
  await browser?.close();
  await server?.stop();
});

test('a person signs in and consents on a 360-px phone screen, in Vietnamese, with no horizontal scrolling', async (t) => {
  const client = await createTestClient(server, { name: 'Hue-S' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp);

  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
  });
  page.on('pageerror', (error) => blocked.push(error.message));
  await page.route(`${RP_CALLBACK}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p id="arrived">ok</p>' }));

  await page.goto(start.url.href);
  t.is(await page.locator('html').getAttribute('lang'), 'vi');
  t.true((await page.textContent('h1'))!.includes(translate('vi', 'login.heading')));
  t.true((await page.textContent('body'))!.includes('Hue-S'), 'the app asking is named');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  t.is(overflow, 0);
  const button = await page.locator('button[type=submit]').boundingBox();
  t.true(button!.height >= 44, 'tap target at least 44 px');

  // Labels are real labels: filling by label text works.
  await page.getByLabel(translate('vi', 'login.identifier_label')).fill(citizen.nationalId);
  await page.getByLabel(translate('vi', 'login.password_label')).fill('Sai-mật-khẩu-1');
  await page.locator('button[type=submit]').click();
  await page.waitForLoadState();
  t.true((await page.textContent('[role=alert]'))!.includes(translate('vi', 'signin.failed')));
  t.is(await page.getByLabel(translate('vi', 'login.identifier_label')).inputValue(), citizen.nationalId, 'identifier kept');
  t.is(await page.getByLabel(translate('vi', 'login.password_label')).inputValue(), '', 'password not echoed');

  await page.getByLabel(translate('vi', 'login.password_label')).fill(citizen.password);
  await page.locator('button[type=submit]').click();
  await page.waitForLoadState();
  t.is(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'consent page fits too');
  await page.locator('button[name=decision][value=allow]').click();
  await page.waitForSelector('#arrived');
  const url = new URL(page.url());
  t.is(url.searchParams.get('state'), start.state);
  t.truthy(url.searchParams.get('code'));
  t.deepEqual(blocked, [], 'no content-security-policy violations or script errors');
  await context.close();
});

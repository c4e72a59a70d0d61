// The pages oidc-provider used to draw itself, and the not-found page, on a 360-px phone:
// without JavaScript they fit the screen and their buttons work; with it, nothing breaks the
// Content Security Policy and the forms go on by themselves. Screenshots go to test/browser/screenshots/.
import test from 'ava';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { saveScreenshot } from '../helpers/tap-targets.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { t as translate } from '../../src/i18n/index.ts';

const RP_BYE = 'https://rp.example.vn/bye';

let server: TestServer;
let browser: Browser;

test.before(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
});
test.after.always(async () => {
  await browser?.close();
  await server?.stop();
});

/** A phone's browser; `violations` collects what the Content Security Policy refused and script errors. */
async function phone(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page; violations: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, javaScriptEnabled });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(error.message));
  await page.route(`${RP_BYE}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p id="arrived">ok</p>' }));
  return { context, page, violations };
}

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The logout an app asks for once this browser's session has ended (back-channel logout, expiry). */
async function logoutWithSessionGone(state: string): Promise<string> {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  return oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: RP_BYE, state }).href;
}

test('without JavaScript, the logout of a session already gone fits a 360-px screen and its 44-px button takes the person back to the app', async (t) => {
  const state = oidc.randomState();
  const url = await logoutWithSessionGone(state);
  const { context, page } = await phone(false);

  await page.goto(url);
  t.is(await page.locator('html').getAttribute('lang'), 'vi');
  t.is(await page.textContent('h1'), translate('vi', 'logout_finish.heading'));
  t.is(await horizontalOverflow(page), 0, 'no horizontal scrolling');
  const button = page.getByRole('button', { name: translate('vi', 'auto_submit.continue') });
  t.true((await button.boundingBox())!.height >= 44, 'tap target at least 44 px');
  await saveScreenshot(page, 'provider-logout-session-gone');

  await button.click();
  await page.waitForSelector('#arrived');
  t.is(page.url(), `${RP_BYE}?state=${state}`);
  await context.close();
});

test('without JavaScript, the not-found page fits a 360-px screen, its way home is a 44-px button, and no dead back link shows', async (t) => {
  const { context, page } = await phone(false);

  const response = await page.goto(`${server.url}/trang-khong-co`);
  t.is(response!.status(), 404);
  t.is(await page.locator('html').getAttribute('lang'), 'vi');
  t.is(await page.textContent('h1'), translate('vi', 'not_found.title'));
  t.is(await horizontalOverflow(page), 0, 'no horizontal scrolling');
  const home = page.getByRole('link', { name: translate('vi', 'nav.home') });
  t.true((await home.boundingBox())!.height >= 44, 'tap target at least 44 px');
  t.false(await page.getByRole('link', { name: translate('vi', 'nav.back') }).isVisible(), 'back needs the history, which only script reads');
  await saveScreenshot(page, 'provider-not-found');

  await home.click();
  await page.waitForLoadState();
  t.is(new URL(page.url()).pathname, '/');
  t.is(await page.textContent('h1'), translate('vi', 'home.heading'));
  t.is(await horizontalOverflow(page), 0, 'the home page fits too');
  await saveScreenshot(page, 'provider-home');
  await context.close();
});

test('without JavaScript, an error of oidc-provider fits a 360-px screen, its long code wrapped below a 44-px way home', async (t) => {
  const { context, page } = await phone(false);
  const response = await page.goto(`${server.url}/auth?response_type=code&scope=openid&redirect_uri=https%3A%2F%2Frp.example.vn%2Fcallback`);
  t.is(response!.status(), 400);
  t.is(await page.textContent('h1'), translate('vi', 'error.title'));
  t.is(await horizontalOverflow(page), 0, 'no horizontal scrolling, even for the English description');
  const home = page.getByRole('link', { name: translate('vi', 'nav.home') });
  t.true((await home.boundingBox())!.height >= 44);
  const code = await page.locator('.error-code').boundingBox();
  t.true(code!.y > (await home.boundingBox())!.y, 'the code comes after the way on');
  await saveScreenshot(page, 'provider-error');
  await context.close();
});

test('with JavaScript, the logout goes on by itself, and "back" on the not-found page returns to the page before, within the policy', async (t) => {
  const state = oidc.randomState();
  const url = await logoutWithSessionGone(state);
  const { context, page, violations } = await phone(true);

  await page.goto(url);
  await page.waitForSelector('#arrived');
  t.is(page.url(), `${RP_BYE}?state=${state}`, 'no tap needed');

  await page.goto(`${server.url}/`);
  await page.goto(`${server.url}/trang-khong-co`);
  const back = page.getByRole('link', { name: translate('vi', 'nav.back') });
  t.true(await back.isVisible());
  t.true((await back.boundingBox())!.height >= 44);
  await back.click();
  await page.waitForURL(`${server.url}/`);
  t.deepEqual(violations, [], 'no content-security-policy violations or script errors');
  await context.close();
});

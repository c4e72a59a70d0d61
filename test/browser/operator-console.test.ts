// The operator console in Chromium, on a 360-px phone and a 1280-px desk, in Vietnamese and in
// English, without JavaScript: the sign-in through xacthuc (password, authenticator enrolment,
// recovery codes), the overview, the sign-out. Each page audited by helpers/page-audit.ts and saved
// as test/browser/screenshots/console-<language>-<width>-<page>.png.
import test from 'ava';
import { generate } from 'otplib';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { auditPage, openPhone } from '../helpers/page-audit.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestOperator } from '../helpers/console.ts';
import { t as translate, type Locale } from '../../src/i18n/index.ts';

let server: TestServer;
let browser: Browser;

test.before(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
});
test.after.always(async () => {
  await browser?.close();
  await server?.stop();
});

for (const locale of ['vi', 'en'] as const satisfies readonly Locale[]) {
  for (const width of [360, 1280]) {
    test(`an operator signs in to the console and out again, ${locale}, ${width} px, without JavaScript: every page meets the bar`, async (t) => {
      const operator = await createTestOperator(server, ['super_admin', 'auditor']);
      const context = await browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 }, isMobile: width === 360, hasTouch: width === 360, javaScriptEnabled: false });
      const { page, problemsSeen } = await openPhone(context, server.url, []);
      const problems: string[] = [];
      const tag = `console-${locale}-${width}`;
      const say = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(locale, key, params);
      const press = async (selector: string) => {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(selector).first().click()]);
      };

      await page.goto(`${server.url}/admin${locale === 'en' ? '?lang=en' : ''}`);
      t.is(await page.textContent('h1'), say('login.heading'), 'the console sends the operator to xacthuc’s sign-in');
      problems.push(...(await auditPage(page, `${tag}-sign-in`, locale)));
      await page.fill('[name=identifier]', operator.nationalId);
      await page.fill('[name=password]', operator.password);
      await press('form button[type=submit]');
      t.is(await page.textContent('h1'), say('totp.enrol_heading'));
      const secret = (await page.locator('code.secret').textContent())!.replace(/\s+/g, '');
      await page.fill('[name=code]', await generate({ secret }));
      await press('form button[type=submit]');
      t.is(await page.textContent('h1'), say('totp.codes_heading'));
      await press('form button[type=submit]');

      t.is(new URL(page.url()).pathname, '/admin');
      t.is(await page.textContent('h1'), say('console.home_heading', { name: 'Lê Thị Quản' }));
      problems.push(...(await auditPage(page, `${tag}-overview`, locale, ['Lê Thị Quản'])));
      for (const section of ['console.nav.accounts', 'console.nav.clients', 'console.nav.audit'] as const) {
        t.true(await page.getByRole('link', { name: say(section) }).first().isVisible(), section);
      }

      await press('form[action="/admin/logout"] button[type=submit]');
      t.is(await page.textContent('h1'), say('console.signed_out_heading'));
      problems.push(...(await auditPage(page, `${tag}-signed-out`, locale)));
      await page.goto(`${server.url}/admin`);
      t.is(await page.textContent('h1'), say('login.heading'), 'signed out: the console asks for a sign-in again');

      t.deepEqual(problems, []);
      t.deepEqual(problemsSeen(), []);
      await context.close();
    });
  }
}

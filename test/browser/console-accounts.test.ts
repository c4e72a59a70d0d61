// The console's accounts search and account pages in Chromium without JavaScript, on a phone
// (360 px) and a desk (1280 px), in Vietnamese and English: each audited as every page is
// (test/helpers/page-audit.ts), screenshots under test/browser/screenshots/console-*.
import test from 'ava';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { auditPage, openPhone } from '../helpers/page-audit.ts';
import { t as translate, type Locale } from '../../src/i18n/index.ts';
import type { Account } from '../../src/accounts/index.ts';

let server: TestServer;
let browser: Browser;
let session: string;
let person: Account;

test.before(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  const operator = await createTestOperator(server, ['super_admin']);
  const agent = new UserAgent();
  await signInToConsole(server, agent, operator, Math.floor(Date.now() / 1000));
  session = agent.cookies.get('xt_console')!;
  person = await server.services.accounts.create({
    type: 'citizen', fullName: 'Nguyễn Thị Hồng Nhung', nationalId: '079301000555', phone: '+84356012345', phoneVerified: true, username: 'hongnhung',
  });
  for (let index = 0; index < 3; index += 1) {
    await server.services.accounts.create({ type: 'organization', fullName: `Hợp tác xã Nhung Hương ${index}`, taxCode: ['0100107518', '0100107518-001', '0311111111'][index]!, phone: `+8435601234${index}`, phoneVerified: true });
  }
});
test.after.always(async () => {
  await browser?.close();
  await server?.stop();
});

for (const width of [360, 1280]) {
  for (const locale of ['vi', 'en'] as const satisfies readonly Locale[]) {
    test.serial(`the accounts search, its results and an account's page, without JavaScript, at ${width} px, in ${locale === 'vi' ? 'Vietnamese' : 'English'}`, async (t) => {
      const tag = `console-${locale}-${width}`;
      const context = await browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 }, isMobile: width === 360, hasTouch: width === 360, javaScriptEnabled: false });
      await context.addCookies([{ name: 'xt_console', value: session, domain: 'localhost', path: '/admin', httpOnly: true, sameSite: 'Strict' }]);
      const { page, problemsSeen } = await openPhone(context, server.url, []);
      const problems: string[] = [];
      const typed = ['nhung'];

      await page.goto(`${server.url}/admin/accounts?lang=${locale}`);
      t.is((await page.locator('h1').textContent())?.trim(), translate(locale, 'console_accounts.search.heading'));
      problems.push(...(await auditPage(page, `${tag}-search`, locale, typed)));

      await page.fill('#name', 'nhung');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('form.console-search:has(#name) button[type=submit]').click()]);
      t.is(await page.locator('.data-table tbody tr').count(), 4);
      problems.push(...(await auditPage(page, `${tag}-results`, locale, typed)));

      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(`a[href="/admin/accounts/${person.id}"]`).click()]);
      t.is((await page.locator('h1').textContent())?.trim(), 'Nguyễn Thị Hồng Nhung');
      const text = await page.locator('main, body').first().innerText();
      t.false(text.includes('079301000555'), 'masked');
      t.true(text.includes('0793******55'));
      problems.push(...(await auditPage(page, `${tag}-account`, locale, ['Nguyễn Thị Hồng Nhung', 'hongnhung'])));

      problems.push(...problemsSeen());
      await context.close();
      t.deepEqual(problems, []);
    });
  }
}

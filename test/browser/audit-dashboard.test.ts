// The console's audit log and dashboard in Chromium (issue point 7), on a 360-px phone and a
// 1280-px desk, in Vietnamese and English, with JavaScript on and off: each page passes the
// page audit (helpers/page-audit.ts: language, no leaked text, 44-px targets, no sideways
// scrolling, labelled inputs) and, over the walk, nothing is fetched from another host, no script
// runs into an error and the Content Security Policy refuses nothing (the charts are inline SVG,
// no style attribute, no script). Screenshots: test/browser/screenshots/console-<page>-<lang>-<js|nojs>-<width>.png.
import test from 'ava';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { auditPage, openPhone } from '../helpers/page-audit.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { createTestCitizen } from '../helpers/relying-party.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import type { Locale } from '../../src/i18n/index.ts';

let server: TestServer;
let browser: Browser;
let consoleCookie: string;

test.before(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  const operator = await createTestOperator(server, ['super_admin']);
  const agent = new UserAgent();
  await signInToConsole(server, agent, operator, Math.floor(Date.now() / 1000));
  consoleCookie = agent.cookies.get('xt_console')!;
  const citizen = await createTestCitizen(server, { phone: '0912333444' });
  const day = 24 * 3600_000;
  const types = ['signin.succeeded', 'signin.failed', 'account.locked', 'otp.sent', 'account.activated', 'admin.account.locked', 'consent.given'];
  // Two months of a small province's log: something on most days, more on some, a few with long or hostile values.
  await server.services.db.knex('audit_events').insert(Array.from({ length: 400 }, (_, index) => ({
    at: new Date(Date.now() - (index % 45) * day - (index % 7) * 3600_000),
    type: types[index % types.length],
    account_id: index % 3 === 0 ? citizen.account.id : null,
    client_id: index % 4 === 0 ? 'cong-dich-vu-cong-tinh-thua-thien-hue-ung-dung-rat-dai' : 'hue-s',
    ip: index % 5 === 0 ? '2001:0db8:85a3:0000:0000:8a2e:0370:7334' : '203.0.113.9',
    user_agent: 'Mozilla/5.0',
    details: JSON.stringify(index % 9 === 0 ? { reason: 'wrong_password', note: '<img src=x onerror=alert(1)> =1+1 Lê Thị Ánh' } : { purpose: 'sign_in' }),
  })));
});
test.after.always(async () => {
  await browser?.close();
  await server?.stop();
});

for (const javaScript of [true, false]) {
  for (const width of [360, 1280]) {
    test(`the audit log and the dashboard at ${width} px, JavaScript ${javaScript ? 'on' : 'off'}, in Vietnamese and English, break no page rule and fetch nothing from elsewhere`, async (t) => {
      const context = await browser.newContext(width === 360
        ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, javaScriptEnabled: javaScript }
        : { viewport: { width: 1280, height: 800 }, javaScriptEnabled: javaScript });
      await context.addCookies([{ name: 'xt_console', value: consoleCookie, domain: 'localhost', path: '/admin', httpOnly: true, sameSite: 'Strict' }]);
      const { page, problemsSeen } = await openPhone(context, server.url, []);
      const problems: string[] = [];
      for (const locale of ['vi', 'en'] as Locale[]) {
        const tag = `${locale}-${javaScript ? 'js' : 'nojs'}-${width}`;
        await page.goto(`${server.url}/admin/audit?lang=${locale}`);
        t.is(await page.locator('table.audit-log tbody tr').count(), 50, 'a page of 50 events');
        problems.push(...(await auditPage(page, `console-audit-${tag}`, locale)));
        await page.locator('a[rel=next]').click();
        await page.waitForLoadState('load');
        t.regex(page.url(), /before=\d+/, 'the "Older" link pages on');
        await page.goto(`${server.url}/admin/audit?lang=${locale}&from=31/02/2026&type=nonsense`);
        problems.push(...(await auditPage(page, `console-audit-errors-${tag}`, locale, ['31/02/2026'])));
        await page.goto(`${server.url}/admin/dashboard?lang=${locale}`);
        t.is(await page.locator('svg.chart__svg').count(), 5);
        t.is(await page.locator('svg script, svg foreignObject, [style]').count(), 0, 'no script and no style attribute');
        await page.locator('details.chart__table summary').first().click();
        t.true(await page.locator('details.chart__table').first().evaluate((element) => (element as HTMLDetailsElement).open), 'the table opens without JavaScript');
        problems.push(...(await auditPage(page, `console-dashboard-${tag}`, locale)));
      }
      t.deepEqual([...problems, ...problemsSeen()], []);
      await context.close();
    });
  }
}

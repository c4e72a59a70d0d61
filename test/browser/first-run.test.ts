// The front door and the first run in Chromium, JavaScript off, on a 360-px phone and a 1280-px
// screen, in Vietnamese and in English: the home page, a whole sign-in to the built-in demo
// application (its page, sign-in, consent, what it received, logout, back), and the set-up page
// that makes the first super-administrator (empty, with its errors, done). Each page is audited
// by helpers/page-audit.ts (nothing from another host, labels, tap targets, no text of the
// other language) and saved as test/browser/screenshots/first-run-<vi|en>-<width>-<page>.png.
import test, { type ExecutionContext } from 'ava';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { auditPage, openPhone } from '../helpers/page-audit.ts';
import { startTestServer } from '../helpers/server.ts';
import { createTestCitizen } from '../helpers/relying-party.ts';
import { DEMO_CLIENT_NAME } from '../../src/demo/index.ts';
import { t as translate, type Locale, type MessageKey } from '../../src/i18n/index.ts';

let browser: Browser;

test.before(async () => {
  browser = await launchChromium();
});
test.after.always(async () => {
  await browser?.close();
});

const ADMIN_NAME = 'Lê Quản Trị';

async function walk(t: ExecutionContext, locale: Locale, width: 360 | 1280, phone: string) {
  const server = await startTestServer();
  t.teardown(() => server.stop());
  const citizen = await createTestCitizen(server, { phone });
  const tag = `first-run-${locale}-${width}`;
  const context = await browser.newContext({ viewport: { width, height: width === 360 ? 740 : 800 }, isMobile: width === 360, hasTouch: width === 360, javaScriptEnabled: false });
  t.teardown(() => context.close());
  const { page, problemsSeen } = await openPhone(context, server.url, []);
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const typed = ['Nguyễn Văn An', DEMO_CLIENT_NAME, ADMIN_NAME];
  const say = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);

  const look = async (name: string, heading: MessageKey, params?: Record<string, string | number>) => {
    const shown = (await page.locator('h1').first().textContent())?.trim();
    if (shown !== say(heading, params)) problems.push(`${tag}-${name}: the heading is "${shown}", not "${say(heading, params)}" (at ${page.url()})`);
    problems.push(...(await auditPage(page, `${tag}-${name}`, locale, typed)));
  };
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
      if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
  };
  const submit = 'form button[type=submit]';

  // The front door, in the language chosen once, as with the switch.
  await page.goto(`${server.url}/${locale === 'en' ? '?lang=en' : ''}`);
  await look('home', 'home.heading');
  t.is(await page.locator('a[href="/admin"]').count(), 1, `${tag}: the operator console is linked`);

  // The demo application, through a whole sign-in and back.
  await Promise.all([page.waitForNavigation(), page.locator('a[href="/demo"]').click()]);
  await look('demo', 'demo.heading');
  await press(submit);
  await look('demo-sign-in', 'login.heading');
  await fill({ identifier: citizen.nationalId, password: citizen.password });
  await press(submit);
  await look('demo-consent', 'consent.heading', { client: DEMO_CLIENT_NAME });
  await press('button[name=decision][value=allow]');
  await look('demo-result', 'demo.result_title');
  t.true((await page.textContent('main'))!.includes(citizen.account.id), `${tag}: the subject is shown`);
  await press(submit);
  await look('demo-logout', 'logout.question_client', { client: DEMO_CLIENT_NAME });
  await press('button[name=logout][value=yes]');
  await look('demo-signed-out', 'demo.heading');
  t.is(await page.locator('[role=status]').textContent(), say('demo.signed_out'));

  // The set-up link: the form, its errors, the administrator made.
  await page.goto(`${server.setupLink!.url}${locale === 'en' ? '?lang=en' : ''}`);
  await look('setup', 'setup.heading');
  await press(submit);
  await look('setup-errors', 'setup.heading');
  t.true((await page.locator('[role=alert]').count()) > 0, `${tag}: the errors are summarized`);
  await fill({
    idNumber: '046088000555', fullName: ADMIN_NAME, birthdate: '08/08/1988', gender: 'male', phone: '0977000103',
    password: 'Sóng-Biển-Lăng-Cô-8', passwordConfirmation: 'Sóng-Biển-Lăng-Cô-8',
  });
  await press(submit);
  await look('setup-done', 'setup.done_title');
  t.is(await page.locator('.card a.button[href="/admin"]').count(), 1, `${tag}: on to the console`);

  t.deepEqual([...problems, ...problemsSeen()], []);
}

for (const locale of ['vi', 'en'] as const) {
  for (const width of [360, 1280] as const) {
    const phone = `09770003${locale === 'vi' ? 1 : 2}${width === 360 ? 1 : 2}`;
    test(`the home page, a demo sign-in and the set-up page work without JavaScript at ${width} px in ${locale === 'vi' ? 'Vietnamese' : 'English'}`, (t) => walk(t, locale, width, phone));
  }
}

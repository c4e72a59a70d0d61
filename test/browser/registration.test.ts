import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { latestCode, startTestServer, type TestServer } from '../helpers/server.ts';
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

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('registration works on a 360-px phone: errors in Vietnamese beside the fields, then an SMS code, then an account', async (t) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });

  await page.goto(`${server.url}/register`);
  t.is(await horizontalOverflow(page), 0);
  await page.locator('button[name=type][value=citizen]').click();
  await page.waitForLoadState();
  t.is(await page.locator('html').getAttribute('lang'), 'vi');
  t.is(await horizontalOverflow(page), 0, 'the whole form fits the screen');

  // Every input has a visible label.
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select')].filter((input) => !document.querySelector(`label[for="${input.id}"]`)).map((input) => input.id),
  );
  t.deepEqual(unlabelled, []);

  const fill = async (values: Record<string, string>) => {
    for (const [name, value] of Object.entries(values)) {
      const field = page.locator(`[name="${name}"]`);
      if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
  };
  await fill({
    username: 'ba-noi-hue',
    password: 'matkhau123',
    passwordConfirmation: 'matkhau123',
    fullName: 'Tôn Nữ Thị Hà',
    birthdate: '1950-03-08',
    gender: 'female',
    phone: '0905 123 456',
    idType: 'cccd',
    idNumber: '046050001122',
    issueDate: '2021-06-01',
    issuePlace: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
    province: 'hue',
    ward: 'Phường Thuận Hóa',
    street: 'Chi Lăng',
  });
  await page.locator('form button[type=submit]').last().click();
  await page.waitForLoadState();

  // The personal number says male (digit 4 is 0), the form says female; the password is weak.
  t.true((await page.textContent('[role=alert]'))!.length > 0);
  const idError = await page.locator('#idNumber').getAttribute('aria-describedby');
  t.truthy(idError);
  const described = await Promise.all(idError!.split(' ').map((id) => page.textContent(`[id="${id}"]`)));
  t.true(described.join(' ').includes(translate('vi', 'cccd.gender_mismatch')), 'the error is tied to its field');
  t.is(await page.locator('#fullName').inputValue(), 'Tôn Nữ Thị Hà', 'what was typed is kept');
  t.is(await page.locator('#password').inputValue(), '', 'the password is not');
  t.is(await horizontalOverflow(page), 0, 'errors do not widen the page');

  await fill({ idNumber: '046150001122', password: 'Chè-Hẻm-Huế-1950', passwordConfirmation: 'Chè-Hẻm-Huế-1950' });
  await page.locator('form button[type=submit]').last().click();
  await page.waitForLoadState();
  const code = page.locator('input[name=code]');
  t.is(await code.getAttribute('autocomplete'), 'one-time-code');
  t.is(await code.getAttribute('inputmode'), 'numeric');
  await code.fill(await latestCode(server, '+84905123456'));
  await page.locator('form button[type=submit]').first().click();
  await page.waitForLoadState();
  t.true((await page.textContent('body'))!.includes(translate('vi', 'register.done')));
  t.deepEqual(violations, []);
  await context.close();
});

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

  const answers: Record<string, string> = {
    username: 'ba-noi-hue',
    password: 'matkhau123',
    passwordConfirmation: 'matkhau123',
    fullName: 'Tôn Nữ Thị Hà',
    birthdate: '08/03/1950',
    gender: 'female',
    phone: '0905 123 456',
    idType: 'cccd',
    idNumber: '046050001122',
    issueDate: '01/06/2021',
    issuePlace: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
    province: 'hue',
    ward: 'Phường Thuận Hóa',
    street: 'Chi Lăng',
  };
  /** Fills what the step on screen asks, from the answers, and goes on. */
  const step = async (changes: Record<string, string> = {}) => {
    Object.assign(answers, changes);
    for (const [name, value] of Object.entries(answers)) {
      const field = page.locator(`[name="${name}"]:not([type=hidden])`);
      if ((await field.count()) === 0) continue;
      if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await page.locator('button[name=go][value=next]').click();
    await page.waitForLoadState();
    t.is(await horizontalOverflow(page), 0, 'no step is wider than the screen');
    if ((await page.locator('.progress').count()) === 0) return undefined;
    return /Bước (\d)\/4/.exec((await page.textContent('.progress')) ?? '')?.[1];
  };
  const progress = async () => /Bước (\d)\/4/.exec((await page.textContent('.progress')) ?? '')?.[1];
  t.is(await progress(), '1');
  t.is(await step(), '2');
  // The personal number says male (digit 4 is 0): the gender is chosen for her already.
  t.is(await page.locator('#gender').inputValue(), 'male');
  // She says female: the number is what disagrees, and step 1 comes back with the error at it.
  t.is(await step(), '1');
  t.true((await page.textContent('[role=alert]'))!.length > 0);
  const idError = await page.locator('#idNumber').getAttribute('aria-describedby');
  t.truthy(idError);
  const described = await Promise.all(idError!.split(' ').map((id) => page.textContent(`[id="${id}"]`)));
  t.true(described.join(' ').includes(translate('vi', 'cccd.gender_mismatch')), 'the error is tied to its field');
  t.is(await step({ idNumber: '046150001122' }), '2');
  t.is(await page.locator('#fullName').inputValue(), 'Tôn Nữ Thị Hà', 'what was typed is kept');
  t.is(await step(), '3');
  t.is(await step(), '4');
  // The checklist ticks as she types (assets/password-rules.js).
  await page.locator('#password').fill('abc');
  t.is(await page.locator('[data-rule=lower]').getAttribute('class'), 'checklist__item checklist__item--met');
  t.is(await page.locator('[data-rule=length]').getAttribute('class'), 'checklist__item checklist__item--unmet');
  t.is(await step(), '4', 'a weak password keeps her on the last step');
  t.is(await page.locator('#password').inputValue(), '', 'the password is not kept');
  t.is(await page.locator('[data-rule=upper]').getAttribute('class'), 'checklist__item checklist__item--unmet');
  await step({ password: 'Chè-Hẻm-Huế-1950', passwordConfirmation: 'Chè-Hẻm-Huế-1950' });
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

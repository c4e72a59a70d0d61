// What frames every page (SPEC §6 "The province's identity"): the header names the service and
// who runs it, with a logo xacthuc serves itself, and the footer tells a person stuck on any
// page whom to call. Defaults read as a whole sentence; settings fill in the province.
import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { t as translate } from '../../src/i18n/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent, type Page } from '../helpers/user-agent.ts';
import { createTestClient, discover, startAuthorization } from '../helpers/relying-party.ts';

// A 1 × 1 PNG, as an operator's logo file.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let plain: TestServer;
let province: TestServer;
let logoDir: string;
test.before(async () => {
  logoDir = await mkdtemp(join(tmpdir(), 'xacthuc-logo-'));
  await writeFile(join(logoDir, 'hue.png'), PNG);
  [plain, province] = await Promise.all([
    startTestServer(),
    startTestServer({
      env: {
        PROVINCE_NAME: 'Tỉnh Thừa Thiên Huế',
        PROVINCE_LOGO: join(logoDir, 'hue.png'),
        HELP_PHONE: '0234 3822 123',
        HELP_EMAIL: 'hotro@sso.hue.gov.vn',
        HELP_HOURS: 'Mon-Fri 07:30-17:00; Sat 07:30-11:30',
      },
    }),
  ]);
});
test.after.always(async () => {
  await Promise.all([plain?.stop(), province?.stop()]);
  await rm(logoDir, { recursive: true, force: true });
});

const footerOf = (page: Page) => /<footer class="site-footer">[\s\S]*<\/footer>/.exec(page.body)?.[0] ?? '';
const headerOf = (page: Page) => /<header class="site-header">[\s\S]*?<\/header>/.exec(page.body)?.[0] ?? '';
const textOf = (markup: string) => markup.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();

/** A sign-in page, a page of our own outside any sign-in, our error page and oidc-provider's. */
async function everyKindOfPage(server: TestServer, locale: 'vi' | 'en' = 'vi'): Promise<Page[]> {
  const client = await createTestClient(server);
  const start = await startAuthorization(await discover(server, client), { ui_locales: locale });
  const agent = new UserAgent();
  const query = `lang=${locale}`;
  return [
    await agent.get(start.url.href),
    await agent.get(`${server.url}/forgot?${query}`),
    await agent.get(`${server.url}/interaction/not-an-interaction?${query}`),
    await agent.get(`${server.url}/auth?client_id=no-such-app&${query}`),
  ];
}

test('with default settings the header names the service and the footer reads as sentences, not "… của Cổng xác thực tập trung"', async (t) => {
  for (const page of await everyKindOfPage(plain)) {
    const header = textOf(headerOf(page));
    const footer = textOf(footerOf(page));
    t.true(header.startsWith(translate('vi', 'layout.product_name')), `${page.url}: ${header}`);
    t.regex(headerOf(page), /<img class="site-header__logo" src="\/assets\/logo-[0-9a-f]{16}\.svg" alt="" height="40">/);
    t.is(footer, [
      translate('vi', 'layout.help_heading'),
      translate('vi', 'layout.help_none'),
      translate('vi', 'layout.footer_about'),
    ].join(' '), page.url);
    t.false(page.body.includes('Cổng xác thực tập trung'), 'the old default name is gone');
  }
});

test('with the province configured, every page names it and gives its hotline as a tel: link, its e-mail and its hours', async (t) => {
  for (const page of await everyKindOfPage(province)) {
    t.is(textOf(headerOf(page)).replace(/ Tiếng Việt English$/, ''), `Tỉnh Thừa Thiên Huế ${translate('vi', 'layout.product_name')}`, page.url);
    const footer = footerOf(page);
    t.true(footer.includes('<a class="help__call" href="tel:02343822123">Gọi đường dây nóng 0234 3822 123</a>'), page.url);
    t.true(footer.includes('<a href="mailto:hotro@sso.hue.gov.vn">Gửi thư tới hotro@sso.hue.gov.vn</a>'), page.url);
    t.true(textOf(footer).includes('Thời gian hỗ trợ: Thứ Hai – Thứ Sáu, 7:30–17:00 ; Thứ Bảy, 7:30–11:30'), textOf(footer));
    t.true(textOf(footer).endsWith(`${translate('vi', 'layout.footer_about')} Đơn vị vận hành: Tỉnh Thừa Thiên Huế.`), textOf(footer));
    t.false(footer.includes(translate('vi', 'layout.help_none')));
  }
});

test('the footer speaks English on an English page, the hours included', async (t) => {
  for (const page of await everyKindOfPage(province, 'en')) {
    const footer = textOf(footerOf(page));
    t.true(footer.includes('Call the hotline 0234 3822 123'), page.url);
    t.true(footer.includes('Help hours: Monday – Friday, 7:30–17:00 ; Saturday, 7:30–11:30'), footer);
    t.true(footer.endsWith('Operated by Tỉnh Thừa Thiên Huế.'), footer);
  }
});

async function logoOf(server: TestServer): Promise<{ path: string; response: Response }> {
  const page = await new UserAgent().get(`${server.url}/forgot`);
  const path = /<img class="site-header__logo" src="([^"]+)"/.exec(page.body)![1];
  return { path, response: await fetch(`${server.url}${path}`) };
}

test('the configured logo is served by xacthuc itself, as a PNG a browser may keep', async (t) => {
  const { path, response } = await logoOf(province);
  t.regex(path, /^\/assets\/logo-[0-9a-f]{16}\.png$/);
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'image/png');
  t.is(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.deepEqual(Buffer.from(await response.arrayBuffer()), PNG);
  const other = await fetch(`${province.url}/assets/logo-0000000000000000.png`);
  t.is(other.status, 404, 'another logo (an earlier one) is not served');
});

test('without a logo configured, the built-in mark is served, an SVG that cannot run script if opened on its own', async (t) => {
  const { response } = await logoOf(plain);
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'image/svg+xml');
  t.is(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.regex(response.headers.get('content-security-policy')!, /\bsandbox\b/);
  t.regex(response.headers.get('content-security-policy')!, /default-src 'none'/);
  t.is(await response.text(), await readFile(new URL('../../assets/mark.svg', import.meta.url), 'utf8'));
});

import test from 'ava';
import { consentPage } from '../../views/consent.ts';
import { autoSubmitPage } from '../../views/auto-submit.ts';
import { errorPage } from '../../views/error.ts';
import type { PageShell } from '../../views/layout.ts';
import { testProvince } from '../helpers/province.ts';
import { loggedOutPage, logoutPage } from '../../views/logout.ts';
import { loginPage } from '../../views/login.ts';
import { PROTOCOL_CLAIMS, SCOPE_CLAIMS, SCOPES } from '../../src/oidc/claims.ts';
import { consentOffer } from '../../src/oidc/consent-choice.ts';

const shell: PageShell = {
  locale: 'vi',
  title: 'Đăng nhập',
  province: testProvince,
  langSwitch: { vi: '/interaction/abc?lang=vi', en: '/interaction/abc?lang=en' },
};

const login = {
  csrfToken: 'csrf-token-value',
  action: '/interaction/abc/login',
  forgotPasswordHref: '/interaction/abc/forgot',
  registerHref: '/interaction/abc/register',
  clientName: 'Dịch vụ công',
};

/** Nothing allowed before: the first time the app asks. */
const firstConsent = { granted: { scopes: [], claims: [] } };
/** A first request for `scopes` and `claims`: every box ticked. */
const asking = (scopes: string[], claims: string[]) => ({ offer: consentOffer({ scopes, claims }, { scopes, claims }, undefined) });
/** The text of each datum's box label on a consent page. */
const choiceLabels = (page: string) => [...page.matchAll(/<label for="consent-(?:scope|claim)-[^"]*">([^<]*)</g)].map((match) => match[1]);

const hostileName = '<img src=x onerror=alert(1)>';

function visibleInputIds(page: string): string[] {
  return [...page.matchAll(/<input\b[^>]*>/g)]
    .map((match) => match[0])
    .filter((input) => !/type="hidden"/.test(input))
    .map((input) => /\bid="([^"]+)"/.exec(input)?.[1] ?? '(no id)');
}

// Looks inside tags only: escaped text such as "onerror=" in a client name is harmless.
function assertNoInlineScriptOrStyle(t: { false(value: boolean, message?: string): void }, page: string) {
  const tags = page.match(/<[a-z][^>]*>/gi) ?? [];
  t.false(tags.some((tag) => /^<style\b/i.test(tag) || (/^<script\b/i.test(tag) && !/\ssrc="\/assets\/[\w.-]+\.js"/.test(tag))), 'has an inline script or a style element');
  t.false(tags.some((tag) => /\sstyle=/i.test(tag)), 'has a style attribute');
  t.false(tags.some((tag) => /\son[a-z]+=/i.test(tag)), 'has an event handler attribute');
}

test('the sign-in page has a visible label for every input', (t) => {
  const page = loginPage(shell, login);
  const ids = visibleInputIds(page);
  t.deepEqual(ids, ['identifier', 'password']);
  for (const id of ids) t.regex(page, new RegExp(`<label for="${id}">[^<]+</label>`));
});

test('the sign-in page asks the browser for the right autofill', (t) => {
  const page = loginPage(shell, login);
  t.regex(page, /<input id="identifier"[^>]*autocomplete="username"[^>]*maxlength="256"/);
  t.regex(page, /<input id="password"[^>]*type="password"[^>]*autocomplete="current-password"[^>]*maxlength="1024"/);
  t.regex(page, /<form method="post" action="\/interaction\/abc\/login">/);
  t.regex(page, /<input type="hidden" name="_csrf" value="csrf-token-value">/);
});

test('the sign-in page names the app asking', (t) => {
  t.true(loginPage(shell, login).includes('Đăng nhập để tiếp tục tới Dịch vụ công'));
});

test('after a failed sign-in the identifier is kept and the password is not', (t) => {
  const page = loginPage(shell, { ...login, identifier: '001099012345', error: 'signin.failed' });
  t.regex(page, /<input id="identifier"[^>]*value="001099012345"/);
  t.notRegex(page, /<input id="password"[^>]*value=/);
});

test('an error is summarized at the top and tied to its field', (t) => {
  const page = loginPage(shell, { ...login, error: 'signin.password_required' });
  t.regex(page, /<div class="error-summary" id="signin-error" role="alert">/);
  t.true(page.includes('Vui lòng nhập mật khẩu.'));
  t.regex(page, /<input id="password"[^>]*aria-invalid="true" aria-describedby="signin-error"/);
  t.notRegex(page, /<input id="identifier"[^>]*aria-invalid/);
  t.true(page.indexOf('error-summary') < page.indexOf('<form'));
});

test('a wrong identifier and a wrong password look the same', (t) => {
  const page = loginPage(shell, { ...login, identifier: 'someone', error: 'signin.failed' });
  t.true(page.includes('Số định danh/tên đăng nhập hoặc mật khẩu không đúng.'));
  t.regex(page, /<input id="identifier"[^>]*aria-invalid="true"/);
  t.regex(page, /<input id="password"[^>]*aria-invalid="true"/);
});

test('a hostile client name is shown as text, not markup', (t) => {
  const page = loginPage(shell, { ...login, clientName: hostileName, identifier: `"><script>x</script>` });
  t.false(page.includes('<img src=x'));
  t.true(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assertNoInlineScriptOrStyle(t, page);
});

test('a province name is shown as text, not markup', (t) => {
  const page = loginPage({ ...shell, province: { ...shell.province, name: '<img src=x onerror=alert(1)> & Co' } }, login);
  t.false(page.includes('<img src=x'));
  t.true(page.includes('<span class="site-header__province">&lt;img src=x onerror=alert(1)&gt; &amp; Co</span>'));
  t.true(page.includes('Đơn vị vận hành: &lt;img src=x onerror=alert(1)&gt; &amp; Co.'));
});

test('only an https client logo is shown', (t) => {
  t.regex(loginPage(shell, { ...login, clientLogoUri: 'https://app.example/logo.png' }), /<img class="client-logo" src="https:\/\/app.example\/logo.png" alt="">/);
  t.notRegex(loginPage(shell, { ...login, clientLogoUri: 'javascript:alert(1)' }), /<img class="client-logo"/);
});

test('the layout is a Vietnamese mobile page with the stylesheet and a language switch', (t) => {
  const page = loginPage(shell, login);
  t.true(page.startsWith('<!doctype html>'));
  t.regex(page, /<html lang="vi">/);
  t.regex(page, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  t.regex(page, /<meta name="theme-color" content="#0b5394">/);
  t.regex(page, /<link rel="stylesheet" href="\/assets\/app.css">/);
  t.regex(page, /<a href="\/interaction\/abc\?lang=vi" hreflang="vi" lang="vi" aria-current="true">Tiếng Việt<\/a>/);
  t.regex(page, /<a href="\/interaction\/abc\?lang=en" hreflang="en" lang="en">English<\/a>/);
  t.true(page.includes('Tỉnh Thử Nghiệm'));
});

test('the English page is in English', (t) => {
  const page = loginPage({ ...shell, locale: 'en' }, login);
  t.regex(page, /<html lang="en">/);
  t.true(page.includes('Sign in to continue to Dịch vụ công'));
  t.regex(page, /lang="en" aria-current="true">English</);
});

test('the consent page describes each scope in plain words', (t) => {
  const page = consentPage(shell, { ...login, ...firstConsent, ...asking(['openid', 'phone', 'offline_access'], []) });
  t.deepEqual(choiceLabels(page).slice(1, 2), ['Số điện thoại']);
  t.true(page.includes('Duy trì đăng nhập'));
  t.regex(page, /<button type="submit" name="decision" value="allow"/);
  t.regex(page, /<button type="submit" name="decision" value="deny"/);
  t.regex(page, /<input type="hidden" name="_csrf" value="csrf-token-value">/);
});

test('the consent page lists individually requested claims, unknown ones by name', (t) => {
  const page = consentPage(shell, { ...login, ...firstConsent, ...asking(['openid'], ['birthdate', 'x_custom']) });
  t.deepEqual(choiceLabels(page).slice(1), ['Ngày sinh', 'x_custom']);
  assertNoInlineScriptOrStyle(t, page);
});

const RELEASED_CLAIMS = [...new Set<string>(Object.values(SCOPE_CLAIMS).flat())].filter((claim) => !PROTOCOL_CLAIMS.includes(claim));

test('every datum but who the person is has a box of its own, ticked, inside the form; openid is ticked and fixed', (t) => {
  const page = consentPage(shell, { ...login, ...firstConsent, ...asking(['openid', 'profile', 'phone'], ['birthdate']) });
  const form = /<form[\s\S]*<\/form>/.exec(page)![0];
  t.regex(form, /<input type="checkbox" id="consent-scope-openid" checked disabled aria-describedby="consent-scope-openid-note">/);
  for (const [kind, name] of [['scope', 'profile'], ['scope', 'phone'], ['claim', 'birthdate']]) {
    t.true(form.includes(`<input type="checkbox" id="consent-${kind}-${name}" name="${kind}:${name}" value="yes" checked><label for="consent-${kind}-${name}">`), name);
  }
  t.false(/name="scope:openid"/.test(page), 'openid cannot be refused, so it is not a field');
});

test('the consent page names the app\'s operating agency and purpose when registered', (t) => {
  const page = consentPage(shell, { ...login, ...firstConsent, ...asking(['openid'], []), agency: 'Sở Y tế <Huế>', purpose: 'Đặt lịch khám bệnh' });
  t.regex(page, /<dt>Đơn vị vận hành<\/dt><dd>Sở Y tế &lt;Huế&gt;<\/dd>/);
  t.regex(page, /<dt>Mục đích sử dụng thông tin<\/dt><dd>Đặt lịch khám bệnh<\/dd>/);
  t.false(consentPage(shell, { ...login, ...firstConsent, ...asking(['openid'], []) }).includes('app-facts'), 'nothing when nothing was registered');
});

/** The text a person reads on a page: tags dropped, entities left as they are. */
function visibleText(page: string): string {
  return page.replace(/<[^>]*>/g, ' ');
}

for (const locale of ['vi', 'en'] as const) {
  test(`the consent page names every scope and every claim a scope can release in plain words (${locale})`, (t) => {
    const page = consentPage({ ...shell, locale }, { ...login, ...firstConsent, ...asking(SCOPES, RELEASED_CLAIMS) });
    const items = choiceLabels(page);
    t.is(items.length, SCOPES.length + RELEASED_CLAIMS.length);
    const technicalNames = new Set([...SCOPES, ...RELEASED_CLAIMS]);
    for (const item of items) t.false(technicalNames.has(item), `"${item}" is shown by its technical name`);
    t.deepEqual(visibleText(page).match(/\b[a-z]+(?:_[a-z]+)+\b/g), null, 'no national_id, tax_code, phone_number … in the text');
  });
}

test('the logout page offers to sign out or stay, both through the provider form', (t) => {
  const formHtml = '<form id="op.logoutForm" method="post" action="/session/end/confirm"><input type="hidden" name="xsrf" value="x"/></form>';
  const page = logoutPage(shell, { formHtml, clientName: hostileName });
  t.true(page.includes(formHtml));
  t.true(page.includes('Bạn có muốn đăng xuất khỏi &lt;img'));
  t.regex(page, /<button type="submit" form="op.logoutForm" name="logout" value="yes"[^>]*>Đăng xuất<\/button>/);
  t.regex(page, /<button type="submit" form="op.logoutForm" class="[^"]*">Ở lại<\/button>/);
});

test('the signed-out page says so', (t) => {
  t.true(loggedOutPage(shell, {}).includes('Bạn đã đăng xuất'));
  t.true(loggedOutPage(shell, { clientName: 'Dịch vụ công' }).includes('Bạn đã đăng xuất khỏi Dịch vụ công.'));
});

test('the error page shows the message and the code as text', (t) => {
  const page = errorPage(shell, { title: 'Không thể tiếp tục', message: 'invalid_redirect_uri <x>', code: 'invalid_request' });
  t.true(page.includes('invalid_redirect_uri &lt;x&gt;'));
  t.true(page.includes('<code>invalid_request</code>'));
});

test('the error page always leads home, and back only where there is a page to go back to', (t) => {
  const withStart = errorPage(shell, { title: 'Không thể tiếp tục', message: 'x', backHref: '/forgot' });
  t.regex(withStart, /<a class="button button--primary" href="\/forgot" data-back>Quay lại<\/a>/);
  t.regex(withStart, /<a class="button button--secondary" href="\/">Về trang chủ<\/a>/);
  t.false(withStart.includes('error-code'), 'no code line without a code');
  // Without a page of ours to return to, only the browser's history (read by script) has one.
  t.regex(errorPage(shell, { title: 'Không thể tiếp tục', message: 'x' }), /<a class="button button--primary" href="\/" data-back hidden>/);
});

test('the auto-submitting page escapes what it posts, shows a real button and has no inline script', (t) => {
  const page = autoSubmitPage(shell, { heading: 'Đang quay lại <Huế>', action: 'https://rp.example.vn/cb?a=1&b="2"', fields: { state: '"><script>alert(1)</script>', code: 'abc' } });
  t.true(page.includes('<h1 id="page-heading">Đang quay lại &lt;Huế&gt;</h1>'));
  t.true(page.includes('action="https://rp.example.vn/cb?a=1&amp;b=&quot;2&quot;" data-auto-submit>'));
  t.true(page.includes('<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">'));
  t.regex(page, /<button type="submit" class="button button--primary">Tiếp tục<\/button>/);
  t.deepEqual(page.match(/<script\b[^>]*>/g), ['<script src="/assets/page-actions.js" defer>'], 'only our own script file');
});

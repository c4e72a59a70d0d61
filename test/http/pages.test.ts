// Every page a browser can be shown is ours (SPEC §6): oidc-provider's own pages (the
// auto-submitting forms of a logout and of response_mode=form_post, its errors), the site's
// home and not-found pages, and our error pages, each in our layout, Vietnamese by default,
// with a way on. Apps keep their JSON and plain answers.
import test, { type ExecutionContext } from 'ava';
import * as oidc from 'openid-client';
import { escapeHtml } from '../../views/html.ts';
import { t as message, type Locale, type MessageKey } from '../../src/i18n/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';

const RP_BYE = 'https://rp.example.vn/bye';
/** What Chromium sends when it navigates. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

const navigate = (agent: UserAgent, path: string, init: { method?: string; form?: Record<string, string> } = {}) =>
  agent.request(new URL(path, server.config.issuer).href, { ...init, headers: { accept: BROWSER_ACCEPT } });

/** Our layout, in `locale`, with each of `messages` on it and no inline script. */
function assertOurPage(t: ExecutionContext, page: Page, status: number, locale: Locale, messages: MessageKey[], params?: Record<string, string>) {
  t.is(page.status, status);
  t.regex(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
  t.true(page.body.includes(`<html lang="${locale}">`), 'the language is declared');
  t.true(page.body.includes('<meta name="viewport" content="width=device-width, initial-scale=1">'), 'laid out for the phone');
  t.true(page.body.includes('<link rel="stylesheet" href="/assets/app.css">'));
  for (const key of messages) t.true(page.body.includes(escapeHtml(message(locale, key, params))), key);
  t.notRegex(page.body, /\{\w+\}/, 'no placeholder left unfilled');
  t.false(page.body.includes('Submitting Callback') || page.body.includes('JavaScript'), 'none of oidc-provider\'s own words');
  t.notRegex(page.body, /<script(?![^>]*\ssrc="\/assets\/)/, 'no inline script');
  t.notRegex(page.headers.get('content-security-policy') ?? '', /sha256-|unsafe-inline/, 'the policy allows no inline script');
}

const homeLink = (page: Page, locale: Locale = 'vi') =>
  new RegExp(`<a class="button button--secondary" href="/">${escapeHtml(message(locale, 'nav.home'))}</a>`).test(page.body);

async function signedIn() {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  return { client, citizen, rp, idToken: tokens.id_token! };
}

test('a logout asked for once the session is gone is our page, and its button takes the person back to the app with its state', async (t) => {
  const { rp, idToken } = await signedIn();
  const state = oidc.randomState();
  // A browser whose session has ended (a back-channel logout, a password change, expiry): no session cookie.
  const browser = new UserAgent();
  const page = await browser.get(oidc.buildEndSessionUrl(rp, { id_token_hint: idToken, post_logout_redirect_uri: RP_BYE, state }).href, RP_BYE);

  assertOurPage(t, page, 200, 'vi', ['logout_finish.heading', 'logout_finish.explanation', 'auto_submit.hint', 'auto_submit.continue']);
  t.regex(page.body, /<form method="post" action="[^"]+\/session\/end\/confirm" data-auto-submit>/);
  t.regex(page.body, /<button type="submit" class="button button--primary">Tiếp tục<\/button>/, 'a real button, shown without JavaScript');
  t.true(page.body.includes('<script src="/assets/page-actions.js" defer></script>'), 'the script only spares the tap');

  const form = readForm(page);
  t.is(form.fields.logout, 'yes');
  t.truthy(form.fields.xsrf);
  const back = await browser.submit(page, form, RP_BYE);
  t.is(back.status, 303);
  t.is(back.url, `${RP_BYE}?state=${state}`);
});

test('the logout page speaks English when asked, by ?lang=en or by the app\'s ui_locales', async (t) => {
  const { rp, idToken } = await signedIn();
  const byLang = await new UserAgent().get(`${oidc.buildEndSessionUrl(rp, { id_token_hint: idToken }).href}&lang=en`);
  assertOurPage(t, byLang, 200, 'en', ['logout_finish.heading', 'auto_submit.continue']);
  const byApp = await new UserAgent().get(oidc.buildEndSessionUrl(rp, { id_token_hint: idToken, ui_locales: 'en-GB vi' }).href);
  assertOurPage(t, byApp, 200, 'en', ['logout_finish.heading']);
});

test('another person signing in on a signed-in browser sees our page ending the first session, then finishes signing in', async (t) => {
  const client = await createTestClient(server);
  const rp = await discover(server, client);
  const mother = await createTestCitizen(server);
  const son = await createTestCitizen(server);
  const familyPhone = new UserAgent();
  const first = await startAuthorization(rp);
  await completeFlow(rp, first, await signInThroughPages(familyPhone, first, mother.nationalId, mother.password));

  const second = await startAuthorization(rp, { prompt: 'login' });
  const login = await familyPhone.get(second.url.href, RP_CALLBACK);
  const fields = { ...readForm(login).fields, identifier: son.nationalId, password: son.password };
  const switching = await familyPhone.submit(login, { action: readForm(login).action, fields }, RP_CALLBACK);
  assertOurPage(t, switching, 200, 'vi', ['switch_account.heading', 'switch_account.explanation', 'auto_submit.continue']);
  t.regex(switching.body, /<form method="post" action="[^"]+\/session\/end\/confirm" data-auto-submit>/);

  let page = await familyPhone.submit(switching, readForm(switching), RP_CALLBACK);
  const consent = readForm(page);
  page = await familyPhone.submit(page, { action: consent.action, fields: { ...consent.fields, decision: 'allow' } }, RP_CALLBACK);
  t.is((await completeFlow(rp, second, page)).claims()!.sub, son.account.id);
});

test('an app using response_mode=form_post gets our page: the code posted to its redirect URI by a button, and the tokens from it', async (t) => {
  const client = await createTestClient(server, { name: 'Cổng dịch vụ công <Huế>' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp, { response_mode: 'form_post' });
  const page = await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password);

  assertOurPage(t, page, 200, 'vi', ['form_post.heading_client', 'auto_submit.hint', 'auto_submit.continue'], { client: 'Cổng dịch vụ công <Huế>' });
  t.regex(page.headers.get('cache-control') ?? '', /no-store/, 'the page carries a code: never kept');
  const form = readForm(page);
  t.is(form.action, RP_CALLBACK);
  t.is(form.fields.state, start.state);
  t.is(form.fields.iss, server.config.issuer);
  t.truthy(form.fields.code);

  const callback = new Request(RP_CALLBACK, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form.fields) });
  const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });
  t.is(tokens.claims()!.sub, citizen.account.id);
});

test('a refusal sent by form_post is our page too, with the error for the app and status 400', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp, { response_mode: 'form_post', ui_locales: 'en' });
  const agent = new UserAgent();
  let page = await agent.get(start.url.href);
  page = await agent.submit(page, { action: readForm(page).action, fields: { ...readForm(page).fields, identifier: citizen.nationalId, password: citizen.password } });
  page = await agent.submit(page, { action: readForm(page).action, fields: { ...readForm(page).fields, decision: 'deny' } });

  assertOurPage(t, page, 400, 'en', ['form_post.heading_client', 'auto_submit.continue'], { client: client.client_name! });
  const form = readForm(page);
  t.is(form.action, RP_CALLBACK);
  t.is(form.fields.error, 'access_denied');
  t.is(form.fields.state, start.state);
});

test('oidc-provider\'s errors are our page for a browser: the message, what to do, the way home, the code small and labelled', async (t) => {
  const page = await navigate(new UserAgent(), '/auth?response_type=code&scope=openid');
  assertOurPage(t, page, 400, 'vi', ['error.title', 'oauth.invalid_request', 'error.next_step', 'error.code_hint', 'nav.back', 'nav.home']);
  t.true(homeLink(page));
  t.regex(page.body, /<p class="error-code">[^<]*<br>Mã lỗi: <code>invalid_request: missing required parameter/);
  // The app that sent the person here is the page before: only the browser's history knows it.
  t.regex(page.body, /<a class="button button--primary" href="\/" data-back hidden>Quay lại<\/a>/);

  const english = await navigate(new UserAgent(), '/auth?response_type=code&scope=openid&lang=en');
  assertOurPage(t, english, 400, 'en', ['error.title', 'error.next_step', 'nav.home']);
  t.true(english.body.includes('Error code: <code>invalid_request'));
});

test('apps keep JSON answers: the token and userinfo endpoints and discovery, called without asking for HTML', async (t) => {
  const token = await fetch(`${server.config.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code' });
  t.is(token.status, 400);
  t.regex(token.headers.get('content-type') ?? '', /^application\/json/);
  t.is(((await token.json()) as { error: string }).error, 'invalid_request');

  const userinfo = await fetch(`${server.config.issuer}/me`, { headers: { accept: 'application/json' } });
  t.is(userinfo.status, 401);
  t.regex(userinfo.headers.get('content-type') ?? '', /^application\/json/);

  const discovery = await fetch(`${server.config.issuer}/.well-known/openid-configuration`);
  t.is(discovery.status, 200);
  t.regex(discovery.headers.get('content-type') ?? '', /^application\/json/);
});

test('an unknown address is our not-found page for a browser, status 404, with the way home', async (t) => {
  for (const path of ['/khong-co', '/.well-known/khong-co', '/account/khong-co', '/assets/khong-co.css', '/token/khong-co']) {
    const page = await navigate(new UserAgent(), path);
    assertOurPage(t, page, 404, 'vi', ['not_found.title', 'not_found', 'error.next_step', 'nav.home']);
    t.true(homeLink(page), path);
    t.false(page.body.includes('error-code'), 'no code to quote for a wrong address');
  }

  const english = await navigate(new UserAgent(), '/khong-co?lang=en');
  assertOurPage(t, english, 404, 'en', ['not_found.title', 'not_found', 'nav.home']);
  t.true(homeLink(english, 'en'));
  const remembered = new UserAgent();
  remembered.cookies.set('lang', 'en');
  assertOurPage(t, await navigate(remembered, '/khong-co'), 404, 'en', ['not_found.title']);
});

test('a form posted to an unknown address, and a page opened with a method it does not take, get the page too', async (t) => {
  const posted = await navigate(new UserAgent(), '/khong-co', { form: { a: 'b' } });
  assertOurPage(t, posted, 404, 'vi', ['not_found.title', 'nav.home']);

  // A sign-in step is a POST; its address opened again (a restored tab) leads back to the sign-in.
  const reopened = await navigate(new UserAgent(), '/interaction/abc/login');
  assertOurPage(t, reopened, 405, 'vi', ['not_found.title', 'nav.back', 'nav.home']);
  t.is(reopened.headers.get('allow'), 'POST');
  t.regex(reopened.body, /<a class="button button--primary" href="\/interaction\/abc" data-back>/);
});

test('apps and HEAD requests keep the plain 404: no page where none was asked for', async (t) => {
  for (const method of ['GET', 'POST', 'DELETE']) {
    const answer = await fetch(`${server.config.issuer}/khong-co`, { method });
    t.is(answer.status, 404, method);
    t.regex(answer.headers.get('content-type') ?? '', /^text\/plain/, method);
  }
  const json = await fetch(`${server.config.issuer}/.well-known/khong-co`, { headers: { accept: 'application/json' } });
  t.is(json.status, 404);
  t.notRegex(json.headers.get('content-type') ?? '', /html/);

  const head = await fetch(`${server.config.issuer}/khong-co`, { method: 'HEAD', headers: { accept: BROWSER_ACCEPT } });
  t.is(head.status, 404);
  t.regex(head.headers.get('content-type') ?? '', /^text\/html/, 'HEAD answers what GET would');
  t.is(await head.text(), '');
});

test('`/` says what the service is, in Vietnamese, and where a sign-in starts', async (t) => {
  const page = await navigate(new UserAgent(), '/');
  assertOurPage(t, page, 200, 'vi', ['home.heading', 'home.intro', 'home.how_to', 'home.register', 'home.forgot_password']);
  t.regex(page.body, /<a href="\/register">/);
  t.regex(page.body, /<a href="\/forgot">/);
  assertOurPage(t, await navigate(new UserAgent(), '/?lang=en'), 200, 'en', ['home.heading', 'home.how_to']);

  // Even an app or a monitor that does not ask for HTML: `/` is a page.
  const plain = await fetch(`${server.config.issuer}/`);
  t.is(plain.status, 200);
  const head = await fetch(`${server.config.issuer}/`, { method: 'HEAD' });
  t.is(head.status, 200);
  t.regex(head.headers.get('content-type') ?? '', /^text\/html/);
});

test('our own error pages keep their code small and labelled, and lead back to the form that failed and home', async (t) => {
  // A reset form posted without its anti-forgery field (an expired page, another site).
  const refused = await navigate(new UserAgent(), '/forgot', { form: { identifier: '0912345678' } });
  assertOurPage(t, refused, 403, 'vi', ['error.title', 'csrf.invalid', 'error.next_step', 'nav.back', 'nav.home']);
  t.regex(refused.body, /<a class="button button--primary" href="\/forgot" data-back>Quay lại<\/a>/);
  t.true(homeLink(refused));
  t.true(refused.body.includes('Mã lỗi: <code>csrf.invalid</code>'));

  const unknownType = await navigate(new UserAgent(), '/register/khong-co');
  assertOurPage(t, unknownType, 404, 'vi', ['not_found', 'nav.back', 'nav.home']);
  t.regex(unknownType.body, /<a class="button button--primary" href="\/register" data-back>/);
});

test('the signed-out page has a way home', async (t) => {
  const page = await navigate(new UserAgent(), '/session/end/success');
  assertOurPage(t, page, 200, 'vi', ['logged_out.title', 'logged_out.close_page', 'nav.home']);
  t.regex(page.body, /<a href="\/">Về trang chủ<\/a>/);
});

import test from 'ava';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { withFailingInsert } from '../helpers/failing-write.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

test('a citizen signs in to a relying party with code + PKCE, and the tokens work', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();

  const start = await startAuthorization(rp);
  const callback = await signInThroughPages(agent, start, citizen.nationalId, citizen.password);
  const tokens = await completeFlow(rp, start, callback);

  // openid-client has checked the ID token's signature against our JWKS, iss, aud, nonce and at_hash.
  const claims = tokens.claims()!;
  t.is(claims.sub, citizen.account.id);
  t.is(claims.acr, 'urn:xacthuc:loa:1');
  t.deepEqual(claims.amr, ['pwd']);
  t.truthy(claims.at_hash);
  const jwks = createRemoteJWKSet(new URL(`${server.config.issuer}/jwks`));
  const verified = await jwtVerify(tokens.id_token!, jwks, { issuer: server.config.issuer, audience: client.client_id });
  t.is(verified.payload.nonce, start.nonce);

  const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, citizen.account.id);
  t.is(userinfo.name, 'Nguyễn Văn An');
  t.is(userinfo.phone_number, '+84912345678');
  t.is(userinfo.birthdate, '1990-05-17');
  t.is(userinfo.national_id, undefined, 'the personal number needs its own scope');

  t.truthy(tokens.refresh_token);
  const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
  t.truthy(refreshed.access_token);
  t.not(refreshed.refresh_token, tokens.refresh_token, 'refresh tokens rotate');
  const reused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
  t.is(reused?.error, 'invalid_grant', 'a rotated refresh token cannot be used again');
  const afterReuse = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, refreshed.refresh_token!));
  t.is(afterReuse?.error, 'invalid_grant', 'reuse of an old refresh token revokes the whole grant');
});

test('consent is remembered: a second sign-in for the same scopes asks nothing', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const first = await startAuthorization(rp, { prompt: '' });
  await completeFlow(rp, first, await signInThroughPages(agent, first, citizen.nationalId, citizen.password));

  const second = await startAuthorization(rp, { prompt: '' });
  const page = await agent.get(second.url.href, 'https://rp.example.vn/callback');
  t.true(page.url.startsWith('https://rp.example.vn/callback'), 'straight back to the app');
  const tokens = await completeFlow(rp, second, page);
  t.is(tokens.claims()!.sub, citizen.account.id);

  const wider = await startAuthorization(rp, { prompt: '', scope: 'openid profile phone email' });
  const asked = await agent.get(wider.url.href, 'https://rp.example.vn/callback');
  t.is(asked.status, 200);
  t.regex(asked.body, /decision/, 'new scopes are asked for');
});

test('client credentials, introspection before and after revocation', async (t) => {
  const client = await createTestClient(server);
  const rp = await discover(server, client);
  const granted = await oidc.clientCredentialsGrant(rp);
  t.truthy(granted.access_token);
  const before = await oidc.tokenIntrospection(rp, granted.access_token);
  t.true(before.active);
  t.is(before.client_id, client.client_id);
  await oidc.tokenRevocation(rp, granted.access_token);
  const after = await oidc.tokenIntrospection(rp, granted.access_token);
  t.false(after.active);
  const events = await server.services.db.knex('audit_events').where({ type: 'token.revoked', client_id: client.client_id });
  t.is(events.length, 1);
});

test('the sign-in page speaks Vietnamese by default, English on request, and names the app', async (t) => {
  const client = await createTestClient(server, { name: 'Cổng Dịch vụ công Huế' });
  const rp = await discover(server, client);
  const { t: translate } = await import('../../src/i18n/index.ts');
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

  const person = new UserAgent();
  const vi = await person.get((await startAuthorization(rp)).url.href);
  t.is(vi.status, 200);
  t.regex(vi.body, /<html lang="vi"/);
  t.true(vi.body.includes(escape(translate('vi', 'login.heading'))));
  t.true(vi.body.includes('Cổng Dịch vụ công Huế'));

  const en = await new UserAgent().get((await startAuthorization(rp, { ui_locales: 'en-US vi' })).url.href);
  t.regex(en.body, /<html lang="en"/);
  t.true(en.body.includes(escape(translate('en', 'login.heading'))));

  const switched = await person.get(`${vi.url.split('?')[0]}?lang=en`);
  t.is(switched.status, 200);
  t.true(switched.body.includes('name="password"'), 'still the sign-in form of the same interaction');
  t.regex(switched.body, /<html lang="en"/, 'the switch works on the page itself');
  t.is(person.cookies.get('lang'), 'en', 'and is remembered');
});

test('a failed sign-in answers a POST; its English link opens the same sign-in in English', async (t) => {
  const rp = await discover(server, await createTestClient(server));
  const { t: translate } = await import('../../src/i18n/index.ts');
  const { escapeHtml } = await import('../../views/html.ts');
  const person = new UserAgent();
  const page = await person.get((await startAuthorization(rp)).url.href);
  const form = readForm(page);
  const failed = await person.submit(page, { action: form.action, fields: { ...form.fields, identifier: '046090000999', password: 'Sai-Mật-Khẩu-91' } });
  t.is(failed.status, 401);
  t.true(failed.body.includes(escapeHtml(translate('vi', 'signin.failed'))));

  // The link a person follows, as written in the page (the path of the POST would answer 405).
  const href = /<a href="([^"]+)" hreflang="en"/.exec(failed.body)![1].replace(/&amp;/g, '&');
  const english = await person.get(new URL(href, failed.url).href);
  t.is(english.status, 200);
  t.regex(english.body, /<html lang="en"/);
  t.true(english.body.includes(escapeHtml(translate('en', 'login.heading'))));
  t.true(english.body.includes('name="password"'), 'the sign-in form of the same interaction');
  t.is(new URL(readForm(english).action, english.url).pathname, new URL(form.action, page.url).pathname);
});

test('prompt=login asks for the password again, and a consent given afterwards does not ask for it a second time', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp, { prompt: 'login' });
  const callback = await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password);
  t.true(callback.url.startsWith('https://rp.example.vn/callback'));
  const tokens = await completeFlow(rp, start, callback);
  t.is(tokens.claims()!.sub, citizen.account.id);
});

test('consent belongs to the person: on a new browser the same app is not asked for again', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const first = await startAuthorization(rp, { prompt: '' });
  await completeFlow(rp, first, await signInThroughPages(new UserAgent(), first, citizen.nationalId, citizen.password));

  const phone = new UserAgent();
  const second = await startAuthorization(rp, { prompt: '' });
  const page = await signInThroughPages(phone, second, citizen.nationalId, citizen.password);
  t.true(page.url.startsWith('https://rp.example.vn/callback'));
  const consents = await server.services.db.knex('audit_events').where({ account_id: citizen.account.id, type: 'consent.given' });
  t.is(consents.length, 1, 'consent was asked once');
  t.is((await completeFlow(rp, second, page)).claims()!.sub, citizen.account.id);
});

test('two people share one browser: after prompt=login the second signs in, and the first keeps their consent', async (t) => {
  const client = await createTestClient(server);
  const rp = await discover(server, client);
  const mother = await createTestCitizen(server);
  const son = await createTestCitizen(server);
  const familyPhone = new UserAgent();
  // As apps ask by default: no offline_access, so the mother's tokens end with her session.
  const first = await startAuthorization(rp, { prompt: '', scope: 'openid profile' });
  const mothers = await completeFlow(rp, first, await signInThroughPages(familyPhone, first, mother.nationalId, mother.password));
  t.is(mothers.claims()!.sub, mother.account.id);

  const second = await startAuthorization(rp, { prompt: 'login', scope: 'openid profile' });
  const login = await familyPhone.get(second.url.href, RP_CALLBACK);
  const form = readForm(login);
  let page = await familyPhone.submit(login, { action: form.action, fields: { ...form.fields, identifier: son.nationalId, password: son.password } }, RP_CALLBACK);
  // oidc-provider ends the mother's session before the son's begins: a form the browser posts.
  page = await familyPhone.submit(page, readForm(page), RP_CALLBACK);
  t.is(page.status, 200, 'the son\'s sign-in goes on, no "interaction session not found"');
  const consent = readForm(page);
  page = await familyPhone.submit(page, { action: consent.action, fields: { ...consent.fields, decision: 'allow' } }, RP_CALLBACK);
  t.true(page.url.startsWith(RP_CALLBACK));
  t.is((await completeFlow(rp, second, page)).claims()!.sub, son.account.id);

  const again = await startAuthorization(rp, { prompt: '', scope: 'openid profile' });
  const back = await signInThroughPages(new UserAgent(), again, mother.nationalId, mother.password);
  t.true(back.url.startsWith(RP_CALLBACK), 'the mother is not asked for her consent again');
  t.is((await completeFlow(rp, again, back)).claims()!.sub, mother.account.id);
});

test('a token answer lost after the code was stored: the resend is refused, and the person\'s consent stays', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const knex = server.services.db.knex;
  const browser = new UserAgent();
  const first = await startAuthorization(rp, { prompt: '' });
  const callback = await signInThroughPages(browser, first, citizen.nationalId, citizen.password);
  // The first exchange stores the tokens; its answer never reaches the app, which resends.
  await completeFlow(rp, first, callback);
  const resent = await t.throwsAsync<oidc.ResponseBodyError>(completeFlow(rp, first, callback));
  t.is(resent?.error, 'invalid_grant', 'RFC 6749 §4.1.2: a code is good once');

  for (const [label, agent] of [['the same browser', browser], ['a new browser', new UserAgent()]] as const) {
    const next = await startAuthorization(rp, { prompt: '' });
    const page = await signInThroughPages(agent, next, citizen.nationalId, citizen.password);
    t.true(page.url.startsWith(RP_CALLBACK), `${label}: straight back to the app, no consent asked`);
    t.is((await completeFlow(rp, next, page)).claims()!.sub, citizen.account.id);
  }
  t.is((await knex('audit_events').where({ account_id: citizen.account.id, type: 'consent.given' })).length, 1, 'consent was asked once');
  const revocations = await knex('audit_events').where({ type: 'token.revoked', client_id: client.client_id });
  t.true(revocations.length >= 1, 'the revocation is audited');
  t.deepEqual(revocations.map((row) => row.account_id), revocations.map(() => citizen.account.id), 'every revocation row names the account');
});

test('a consent given after the session\'s Grant was revoked keeps what the person agreed to before: no second consent page', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const first = await startAuthorization(rp, { prompt: '', scope: 'openid profile' });
  await completeFlow(rp, first, await signInThroughPages(agent, first, citizen.nationalId, citizen.password));

  const wider = await startAuthorization(rp, { prompt: '', scope: 'openid profile phone' });
  const page = await agent.get(wider.url.href, RP_CALLBACK);
  const consent = readForm(page);
  // Meanwhile the Grant of this session ends with its tokens (a reused refresh token elsewhere).
  await server.services.db.knex('oidc_models').where({ model: 'Grant', account_id: citizen.account.id }).delete();
  const callback = await agent.submit(page, { action: consent.action, fields: { ...consent.fields, decision: 'allow' } }, RP_CALLBACK);
  t.true(callback.url.startsWith(RP_CALLBACK), 'straight back to the app');
  const tokens = await completeFlow(rp, wider, callback);
  const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, citizen.account.id);
  t.is(userinfo.name, 'Nguyễn Văn An', 'the earlier consent (profile) still holds');
  t.is(userinfo.phone_number, '+84912345678', 'and the new one (phone)');
});

test('a consent whose audit event cannot be written is not recorded, and the same page then records both', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const start = await startAuthorization(rp, { prompt: '', scope: 'openid profile' });
  const login = await agent.get(start.url.href, RP_CALLBACK);
  const form = readForm(login);
  const page = await agent.submit(login, { action: form.action, fields: { ...form.fields, identifier: citizen.nationalId, password: citizen.password } }, RP_CALLBACK);
  const consent = readForm(page);
  const knex = server.services.db.knex;
  const failed = await withFailingInsert(knex, 'audit_events', `NEW.type = 'consent.given' AND NEW.account_id = '${citizen.account.id}'`, () =>
    agent.request(new URL(consent.action, page.url).href, { form: { ...consent.fields, decision: 'allow' } }));
  t.is(failed.status, 500);
  t.is(await knex('consents').where({ account_id: citizen.account.id }).first(), undefined, 'no consent without its event');

  const callback = await agent.submit(page, { action: consent.action, fields: { ...consent.fields, decision: 'allow' } }, RP_CALLBACK);
  t.truthy((await completeFlow(rp, start, callback)).access_token);
  t.truthy(await knex('consents').where({ account_id: citizen.account.id }).first());
  t.is((await knex('audit_events').where({ account_id: citizen.account.id, type: 'consent.given' })).length, 1);
});

// Consent per datum (Decree 13/2023 Art. 11, 12; Law 91/2025): the person may refuse an app any
// datum but who they are, the app receives only what was granted, every decision is recorded
// as it was shown, and a withdrawn consent ends what the app holds.
import test from 'ava';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization, type FlowStart } from '../helpers/relying-party.ts';
import { ENDPOINT_HOSTS, startRelyingPartyEndpoint } from '../helpers/relying-party-endpoint.ts';
import { ConsentStore, createProvider, loadKeys, withdrawConsent } from '../../src/oidc/index.ts';
import { AgencyStore } from '../../src/accounts/index.ts';
import { t as translate } from '../../src/i18n/index.ts';
import { createOrganizationAccount } from '../../src/admin/index.ts';

let server: TestServer;
const AGENCY = 'Sở Khoa học và Công nghệ tỉnh Thử Nghiệm';
const PURPOSE = 'Đặt lịch khám bệnh và gửi kết quả xét nghiệm cho người dân';

test.before(async () => {
  server = await startTestServer({ env: ENDPOINT_HOSTS });
  await new AgencyStore(server.services.db.knex).create(AGENCY);
});
test.after.always(async () => {
  await server?.stop();
});

const consents = () => new ConsentStore(server.services.db.knex, server.services.clock);

/** The person signs in through the pages of a new browser and reaches the consent page. */
async function consentPageFor(rp: oidc.Configuration, citizen: { nationalId: string; password: string }, params: Record<string, string> = {}) {
  const agent = new UserAgent();
  const start = await startAuthorization(rp, params);
  const login = await agent.get(start.url.href, RP_CALLBACK);
  const form = readForm(login);
  const page = await agent.submit(login, { action: form.action, fields: { ...form.fields, identifier: citizen.nationalId, password: citizen.password } }, RP_CALLBACK);
  return { agent, start, page };
}

/** Answers the consent page with the boxes named in `untick` unticked (a browser sends no field for them). */
async function decide(agent: UserAgent, page: Page, untick: string[] = [], extra: Record<string, string> = {}) {
  const form = readForm(page);
  const fields = Object.fromEntries(Object.entries(form.fields).filter(([name]) => !untick.includes(name)));
  return agent.submit(page, { action: form.action, fields: { ...fields, decision: 'allow', ...extra } }, RP_CALLBACK);
}

async function introspect(client: { client_id: string; client_secret?: string }, token: string) {
  const response = await fetch(`${server.config.issuer}/token/introspection`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** The consent page's boxes, in order: the field each sends, whether it starts ticked, whether it is fixed. */
const boxes = (page: Page) => [...page.body.matchAll(/<input type="checkbox" id="consent-[^"]*"([^>]*)>/g)].map(([, attributes]) => ({
  name: / name="([^"]*)"/.exec(attributes)?.[1],
  checked: / checked\b/.test(attributes),
  disabled: / disabled\b/.test(attributes),
}));

test('a consent granted in full: the app names its agency and purpose, receives every datum asked, and the record keeps the time, scopes and purpose shown', async (t) => {
  const client = await createTestClient(server, { name: 'Sổ sức khỏe điện tử', scope: 'openid profile phone offline_access', agency: AGENCY, purpose: PURPOSE });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const before = Date.now();
  const { agent, start, page } = await consentPageFor(rp, citizen, { scope: 'openid profile phone offline_access' });
  const text = page.body.replace(/<[^>]*>/g, ' ');
  t.true(text.includes(translate('vi', 'consent.agency_label')) && text.includes(AGENCY), 'the operating agency is named');
  t.true(text.includes(translate('vi', 'consent.purpose_label')) && text.includes(PURPOSE), 'and the purpose');
  t.deepEqual(boxes(page), [
    { name: undefined, checked: true, disabled: true },
    { name: 'scope:profile', checked: true, disabled: false },
    { name: 'scope:phone', checked: true, disabled: false },
    { name: 'scope:offline_access', checked: true, disabled: false },
  ], 'openid fixed, every other scope a box of its own, ticked');

  const tokens = await completeFlow(rp, start, await decide(agent, page));
  t.deepEqual(tokens.scope?.split(' ').sort(), ['offline_access', 'openid', 'phone', 'profile']);
  const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, citizen.account.id);
  t.is(userinfo.name, 'Nguyễn Văn An');
  t.is(userinfo.phone_number, '+84912345678');

  const records = await consents().records(citizen.account.id, client.client_id);
  t.is(records.length, 1);
  t.is(records[0].decision, 'given');
  t.deepEqual(records[0].granted.scopes, ['offline_access', 'openid', 'phone', 'profile']);
  t.deepEqual(records[0].refused, { scopes: [], claims: [] });
  t.deepEqual(records[0].shown, { clientName: 'Sổ sức khỏe điện tử', agency: AGENCY, purpose: PURPOSE });
  t.true(records[0].decidedAt.getTime() >= before - 1000 && records[0].decidedAt.getTime() <= Date.now() + 1000, 'when it was decided');

  // The record survives the tokens: gone, the consent is still there and still asked for nothing.
  await server.services.db.knex('oidc_models').where({ account_id: citizen.account.id }).whereIn('model', ['AccessToken', 'RefreshToken', 'Grant']).delete();
  t.is((await consents().records(citizen.account.id, client.client_id)).length, 1);
  t.deepEqual((await consents().find(citizen.account.id, client.client_id))?.scopes, ['offline_access', 'openid', 'phone', 'profile']);
});

test('a consent partly granted: the ID token, userinfo and introspection carry only what was granted, and the token\'s scope leaves out what was refused', async (t) => {
  const client = await createTestClient(server, { scope: 'openid profile phone email offline_access' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  // Claims for the ID token are asked by name (OpenID Connect Core §5.5): each is a box of its own.
  const claims = JSON.stringify({ id_token: { name: null, birthdate: null, phone_number: null } });
  const { agent, start, page } = await consentPageFor(rp, citizen, { scope: 'openid profile phone email offline_access', claims });
  t.deepEqual(boxes(page).map((box) => box.name), [undefined, 'scope:profile', 'scope:phone', 'scope:email', 'scope:offline_access', 'claim:name', 'claim:birthdate', 'claim:phone_number']);
  const tokens = await completeFlow(rp, start, await decide(agent, page, ['scope:profile', 'scope:phone', 'claim:name', 'claim:phone_number']));

  t.deepEqual(tokens.scope?.split(' ').sort(), ['email', 'offline_access', 'openid'], 'profile and phone are not in the scope');
  const idToken = tokens.claims()!;
  t.is(idToken.sub, citizen.account.id);
  t.is(idToken.birthdate, '1990-05-17', 'the one claim granted by name');
  for (const claim of ['name', 'gender', 'preferred_username', 'account_type', 'phone_number']) t.false(claim in idToken, `ID token: ${claim}`);
  const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, citizen.account.id);
  t.deepEqual(Object.keys(userinfo).sort(), ['sub'], 'the person has no email: the app gets who they are, nothing refused');
  const introspection = await introspect(client, tokens.access_token);
  t.true(introspection.active);
  t.deepEqual(String(introspection.scope).split(' ').sort(), ['email', 'offline_access', 'openid']);
  const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
  t.deepEqual(refreshed.scope?.split(' ').sort(), ['email', 'offline_access', 'openid'], 'a refresh does not bring it back');
  t.false('name' in refreshed.claims()!);
  t.false('phone_number' in refreshed.claims()!);

  const record = (await consents().records(citizen.account.id, client.client_id))[0];
  t.deepEqual(record.granted.scopes, ['email', 'offline_access', 'openid']);
  t.deepEqual(record.refused, { scopes: ['phone', 'profile'], claims: ['name', 'phone_number'] });
  const event = await server.services.db.knex('audit_events').where({ account_id: citizen.account.id, type: 'consent.given' }).first();
  t.is(event.details.refused, 'profile phone name phone_number');

  // Refused is remembered: the next sign-in of the same request is not asked again, nor given it.
  const again = await startAuthorization(rp, { scope: 'openid profile phone email', prompt: '' });
  const back = await signInThroughPages(new UserAgent(), again, citizen.nationalId, citizen.password);
  t.true(back.url.startsWith(RP_CALLBACK), 'straight back to the app');
  const next = await completeFlow(rp, again, back);
  t.deepEqual(next.scope?.split(' ').sort(), ['email', 'openid']);

  // Asked again (prompt=consent), the page offers what was refused, unticked; ticked, it is granted.
  const asked = await consentPageFor(rp, citizen, { scope: 'openid profile phone email' });
  t.deepEqual(boxes(asked.page).filter((box) => box.name), [
    { name: 'scope:profile', checked: false, disabled: false },
    { name: 'scope:phone', checked: false, disabled: false },
  ]);
  const { ['scope:phone']: _phone, ...onlyProfile } = readForm(asked.page).fields;
  const granted = await asked.agent.submit(asked.page, { action: readForm(asked.page).action, fields: { ...onlyProfile, 'scope:profile': 'yes', decision: 'allow' } }, RP_CALLBACK);
  const widened = await completeFlow(rp, asked.start, granted);
  t.deepEqual(widened.scope?.split(' ').sort(), ['email', 'openid', 'profile']);
  const profile = await oidc.fetchUserInfo(rp, widened.access_token, citizen.account.id);
  t.is(profile.gender, 'male', 'the profile now granted');
  t.false('name' in profile, 'but not the name, refused by name and not asked again');
  t.deepEqual((await consents().find(citizen.account.id, client.client_id))?.refused.scopes, ['phone']);
});

test('a person may refuse even the profile: the app then knows them by sub alone', async (t) => {
  const client = await createTestClient(server, { scope: 'openid profile' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const { agent, start, page } = await consentPageFor(rp, citizen, { scope: 'openid profile' });
  const tokens = await completeFlow(rp, start, await decide(agent, page, ['scope:profile']));
  t.is(tokens.scope, 'openid');
  t.deepEqual(Object.keys(await oidc.fetchUserInfo(rp, tokens.access_token, citizen.account.id)), ['sub']);
});

test('a withdrawn consent: the app\'s refresh token gets invalid_grant, its back-channel logout endpoint a logout token, and the next request asks again', async (t) => {
  const endpoint = await startRelyingPartyEndpoint();
  t.teardown(() => endpoint.close());
  const client = await createTestClient(server, { backchannelLogoutUri: `${endpoint.url}/backchannel`, scope: 'openid profile phone offline_access' });
  const other = await createTestClient(server, { name: 'Ứng dụng khác' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const otherRp = await discover(server, other);
  const { agent, start, page } = await consentPageFor(rp, citizen, { scope: 'openid profile phone offline_access' });
  const tokens = await completeFlow(rp, start, await decide(agent, page));
  const sid = tokens.claims()!.sid as string;
  const otherStart = await startAuthorization(otherRp, { scope: 'openid profile offline_access' });
  const otherTokens = await completeFlow(otherRp, otherStart, await decide(agent, await agent.get(otherStart.url.href, RP_CALLBACK)));

  const provider = createProvider({ ...server.services, knex: server.services.db.knex, keys: await loadKeys(server.services.db.knex, server.services.sealer, server.services.clock) });
  const deps = { knex: server.services.db.knex, consents: consents(), audit: server.services.audit, provider };
  const withdrawn = await withdrawConsent(deps, citizen.account.id, client.client_id, { ip: '203.0.113.7' });
  t.deepEqual(withdrawn?.scopes, ['offline_access', 'openid', 'phone', 'profile']);

  const refused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
  t.is(refused?.error, 'invalid_grant');
  t.false((await introspect(client, tokens.access_token)).active, 'the access token is revoked too');
  t.truthy((await oidc.refreshTokenGrant(otherRp, otherTokens.refresh_token!)).access_token, 'another app of the same session keeps its tokens');

  t.is(endpoint.received.length, 1, 'one logout token, for the one session');
  const logoutToken = new URLSearchParams(endpoint.received[0].body).get('logout_token') ?? '';
  const { payload } = await jwtVerify(logoutToken, createRemoteJWKSet(new URL(`${server.config.issuer}/jwks`)), { issuer: server.config.issuer, audience: client.client_id, typ: 'logout+jwt' });
  t.is(payload.sub, citizen.account.id);
  t.is(payload.sid, sid);

  const event = await server.services.db.knex('audit_events').where({ account_id: citizen.account.id, type: 'consent.withdrawn' }).first();
  t.is(event.client_id, client.client_id);
  t.is(event.ip, '203.0.113.7');
  const records = await consents().records(citizen.account.id, client.client_id);
  t.deepEqual(records.map((record) => record.decision), ['given', 'withdrawn'], 'the record of the consent outlives it');

  // The same browser, still signed in: the app must ask again, and the page is a first request's.
  const next = await startAuthorization(rp, { scope: 'openid profile', prompt: '' });
  const asked = await agent.get(next.url.href, RP_CALLBACK);
  t.false(asked.url.startsWith(RP_CALLBACK), 'not straight back to the app');
  t.true(asked.body.includes(translate('vi', 'consent.heading', { client: 'Cổng dịch vụ công thử nghiệm' })), 'the consent page, as the first time');
  t.is(await withdrawConsent(deps, citizen.account.id, client.client_id), undefined, 'withdrawn once: nothing more to do');
  t.is(endpoint.received.length, 1);
});

test('hostile consent posts grant nothing: a scope the app did not ask for, a forged CSRF token, absurdly long values', async (t) => {
  const client = await createTestClient(server, { scope: 'openid profile phone national_id organization' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);

  const forged = await consentPageFor(rp, citizen, { scope: 'openid profile' });
  const form = readForm(forged.page);
  const refused = await forged.agent.submit(forged.page, { action: form.action, fields: { ...form.fields, _csrf: 'forged', decision: 'allow' } });
  t.is(refused.status, 403);
  t.is(await consents().find(citizen.account.id, client.client_id), undefined, 'no consent');

  const huge = await forged.agent.submit(forged.page, { action: form.action, fields: { ...form.fields, 'scope:profile': 'yes'.repeat(30_000), decision: 'allow' } });
  t.is(huge.status, 413);
  t.is(await consents().find(citizen.account.id, client.client_id), undefined, 'no consent');

  const long = await forged.agent.submit(forged.page, { ...form, fields: { ...form.fields, 'scope:profile': `yes${'x'.repeat(5000)}`, [`scope:${'p'.repeat(5000)}`]: 'yes', decision: 'allow' } }, RP_CALLBACK);
  const tokens = await completeFlow(rp, forged.start, long);
  t.is(tokens.scope, 'openid', 'a long value is not "yes": profile refused');

  const more = await consentPageFor(rp, citizen, { scope: 'openid profile phone' });
  const unasked = await decide(more.agent, more.page, [], { 'scope:national_id': 'yes', 'scope:organization': 'yes', 'claim:national_id': 'yes', 'claim:tax_code': 'yes' });
  const after = await completeFlow(rp, more.start, unasked);
  t.deepEqual(after.scope?.split(' ').sort(), ['openid', 'phone', 'profile']);
  const userinfo = await oidc.fetchUserInfo(rp, after.access_token, citizen.account.id);
  t.false('national_id' in userinfo || 'tax_code' in userinfo, 'nothing the app did not ask for');
  const consent = await consents().find(citizen.account.id, client.client_id);
  t.deepEqual(consent?.scopes, ['openid', 'phone', 'profile']);
  t.deepEqual(consent?.claims, []);
});

test('new clients get pairwise subjects: two apps on different hosts see different subs for one person, each the same every time', async (t) => {
  const citizen = await createTestCitizen(server);
  const subOf = async (clientHost: string) => {
    const callback = `https://${clientHost}/callback`;
    const client = await createTestClient(server, { redirectUris: [callback], postLogoutRedirectUris: [], subjectType: undefined, publicSubjectReason: undefined });
    t.is(client.subject_type, 'pairwise');
    const rp = await discover(server, client);
    const subs: string[] = [];
    for (let round = 0; round < 2; round += 1) {
      const start: FlowStart = await startAuthorization(rp, { redirect_uri: callback, scope: 'openid profile' });
      const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password, callback));
      const sub = tokens.claims()!.sub;
      t.is((await oidc.fetchUserInfo(rp, tokens.access_token, sub)).sub, sub, 'userinfo says the same');
      subs.push(sub);
    }
    t.is(subs[0], subs[1]);
    return subs[0];
  };
  const portal = await subOf('dichvucong.example.vn');
  const health = await subOf('suckhoe.example.vn');
  t.not(portal, health);
  for (const sub of [portal, health]) t.not(sub, citizen.account.id, 'not the account\'s id');
});

test('a public subject is given with its reason, stored with the client; the app sees the account\'s id', async (t) => {
  const reason = 'Ứng dụng công dân của tỉnh liên kết hồ sơ giữa các dịch vụ công';
  const client = await createTestClient(server, { subjectType: 'public', publicSubjectReason: reason });
  const row = await server.services.db.knex('clients').where({ client_id: client.client_id }).first();
  t.is(row.metadata.subject_type, 'public');
  t.is(row.metadata.public_subject_reason, reason);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp, { scope: 'openid' });
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  t.is(decodeJwt(tokens.id_token!).sub, citizen.account.id);
});

test('the organization scope releases an enterprise\'s tax code, name and account type; national_id says whether VNeID proved the number', async (t) => {
  const client = await createTestClient(server, { scope: 'openid national_id organization' });
  const rp = await discover(server, client);
  const password = 'Mật-khẩu-Tổ-chức-2026';
  await createOrganizationAccount(server.services, { taxCode: '0100109106-001', orgName: 'Chi nhánh Công ty Thử', phone: '0987000111', password });
  const start = await startAuthorization(rp, { scope: 'openid organization' });
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, '0100109106-001', password));
  const organization = await oidc.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub);
  t.like(organization, { tax_code: '0100109106-001', organization_name: 'Chi nhánh Công ty Thử', account_type: 'organization' });
  t.false('national_id' in organization);

  const citizen = await createTestCitizen(server);
  const next = await startAuthorization(rp, { scope: 'openid national_id organization' });
  const citizenTokens = await completeFlow(rp, next, await signInThroughPages(new UserAgent(), next, citizen.nationalId, citizen.password));
  const person = await oidc.fetchUserInfo(rp, citizenTokens.access_token, citizen.account.id);
  t.like(person, { national_id: citizen.nationalId, national_id_type: 'cccd', vneid_verified: false, account_type: 'citizen' });
  t.false('tax_code' in person || 'organization_name' in person, 'a citizen has neither');
});

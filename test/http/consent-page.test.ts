// The consent page says in plain words what an app will receive (SPEC §2, Decree 13/2023):
// no claim reaches the person by its technical name.
import test from 'ava';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent } from '../helpers/user-agent.ts';
import { createTestCitizen, createTestClient, discover, RP_CALLBACK, startAuthorization } from '../helpers/relying-party.ts';
import { PROTOCOL_CLAIMS, SCOPE_CLAIMS, SCOPES } from '../../src/oidc/claims.ts';
import { t as translate } from '../../src/i18n/index.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

const EVERY_CLAIM: string[] = [...new Set<string>(Object.values(SCOPE_CLAIMS).flat())];
/** The words beside each box of a consent page (what is asked now). */
const choiceLabels = (markup: string) => [...markup.matchAll(/<label for="consent-(?:scope|claim)-[^"]*">([^<]*)</g)].map((match) => match[1]);

test('the consent page names every claim the claims parameter can ask for in Vietnamese and English, none by its technical name', async (t) => {
  const client = await createTestClient(server, { scope: SCOPES.join(' ') });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const everything = Object.fromEntries(EVERY_CLAIM.map((claim) => [claim, null]));
  const start = await startAuthorization(rp, { scope: 'openid', claims: JSON.stringify({ userinfo: everything, id_token: everything }) });
  const agent = new UserAgent();
  const login = await agent.get(start.url.href, RP_CALLBACK);
  const form = readForm(login);
  const vi = await agent.submit(login, { action: form.action, fields: { ...form.fields, identifier: citizen.nationalId, password: citizen.password } }, RP_CALLBACK);
  t.regex(vi.body, /name="decision" value="allow"/, 'the consent page is shown');
  const en = await agent.get(`${vi.url}?lang=en`, RP_CALLBACK);
  t.regex(en.body, /<html lang="en">/);
  for (const [locale, page] of [['vi', vi], ['en', en]] as const) {
    const text = page.body.replace(/<[^>]*>/g, ' ');
    t.true(text.includes(locale === 'vi' ? 'Số định danh cá nhân' : 'Personal identification number'), locale);
    t.true(text.includes(locale === 'vi' ? 'Mã số thuế' : 'Tax code'), locale);
    const items = choiceLabels(page.body);
    t.is(items.length, 1 + EVERY_CLAIM.filter((claim) => !PROTOCOL_CLAIMS.includes(claim)).length, `${locale}: the openid scope, then each claim about the person`);
    for (const item of items) t.false(EVERY_CLAIM.includes(item), `${locale}: "${item}" is shown by its technical name`);
    t.deepEqual(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g), null, `${locale}: no national_id, tax_code, phone_number … in the text`);
  }
});

/** The person signs in through the pages and reaches the consent page; returns it. */
async function consentPageFor(agent: UserAgent, url: string, citizen: { nationalId: string }, password: string) {
  let page = await agent.get(url, RP_CALLBACK);
  if (/name="password"/.test(page.body)) {
    const form = readForm(page);
    page = await agent.submit(page, { action: form.action, fields: { ...form.fields, identifier: citizen.nationalId, password } }, RP_CALLBACK);
  }
  return page;
}

const textOf = (markup: string) => markup.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
const listItems = (markup: string) => [...markup.matchAll(/<li>([^<]*)<\/li>/g)].map((match) => match[1]);
const grantedBlock = (markup: string) => /<details class="granted">[\s\S]*?<\/details>/.exec(markup)?.[0];

test('a wider request says what the app already has and lists only what it adds; the rest is one tap away', async (t) => {
  const client = await createTestClient(server, { name: 'Hue-S', scope: 'openid profile phone email' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();

  const first = await consentPageFor(agent, (await startAuthorization(rp, { scope: 'openid profile' })).url.href, citizen, citizen.password);
  t.true(first.body.includes(`<h1 id="page-heading">${translate('vi', 'consent.heading', { client: 'Hue-S' })}</h1>`), 'the first time, the app asks');
  t.deepEqual(choiceLabels(first.body), [translate('vi', 'scope.openid'), translate('vi', 'scope.profile')]);
  t.is(grantedBlock(first.body), undefined, 'nothing was shared before');
  const allowed = await agent.submit(first, { ...readForm(first), fields: { ...readForm(first).fields, decision: 'allow' } }, RP_CALLBACK);
  t.true(allowed.url.startsWith(RP_CALLBACK));

  // On another phone (no session, no Grant): the consent is the person's, not the browser's.
  for (const browser of [agent, new UserAgent()]) {
    const second = await consentPageFor(browser, (await startAuthorization(rp, { scope: 'openid profile phone email' })).url.href, citizen, citizen.password);
    t.true(second.body.includes(`<h1 id="page-heading">${translate('vi', 'consent.more_heading', { client: 'Hue-S' })}</h1>`));
    const text = textOf(second.body);
    t.true(text.includes(`${translate('vi', 'consent.more_intro', { client: 'Hue-S' })} ${translate('vi', 'consent.choose_note')} ${translate('vi', 'scope.phone')} ${translate('vi', 'scope.email')}`), 'says it comes on top of what was shared, that each may be refused, then the new items');
    const granted = grantedBlock(second.body)!;
    t.truthy(granted, 'what the app has is offered');
    t.true(granted.includes(`<summary>${translate('vi', 'consent.granted_summary', { client: 'Hue-S', count: 2 })}</summary>`));
    t.deepEqual(listItems(granted), [translate('vi', 'scope.openid'), translate('vi', 'scope.profile')], 'the already-granted items, openid first');
    t.deepEqual(choiceLabels(second.body.replace(granted, '')), [translate('vi', 'scope.phone'), translate('vi', 'scope.email')], 'only the new items outside it, each a box');
    t.deepEqual(listItems(second.body.replace(granted, '')), [], 'and nothing else listed');
    t.true(text.includes(translate('vi', 'consent.more_deny_note', { client: 'Hue-S' })));

    const english = await browser.get(`${second.url}?lang=en`, RP_CALLBACK);
    t.true(english.body.includes(`<h1 id="page-heading">${translate('en', 'consent.more_heading', { client: 'Hue-S' })}</h1>`));
    t.deepEqual(listItems(grantedBlock(english.body)!), [translate('en', 'scope.openid'), translate('en', 'scope.profile')]);
  }
});

test('asked again for nothing new (prompt=consent), the page asks to confirm and lists what the app has', async (t) => {
  const client = await createTestClient(server, { name: 'Hue-S', scope: 'openid profile' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const first = await consentPageFor(agent, (await startAuthorization(rp, { scope: 'openid profile' })).url.href, citizen, citizen.password);
  await agent.submit(first, { ...readForm(first), fields: { ...readForm(first).fields, decision: 'allow' } }, RP_CALLBACK);

  const again = await consentPageFor(agent, (await startAuthorization(rp, { scope: 'openid profile', prompt: 'consent' })).url.href, citizen, citizen.password);
  t.true(again.body.includes(`<h1 id="page-heading">${translate('vi', 'consent.again_heading', { client: 'Hue-S' })}</h1>`));
  t.deepEqual(listItems(again.body), [translate('vi', 'scope.openid'), translate('vi', 'scope.profile')]);
  t.true(textOf(again.body).includes(translate('vi', 'consent.again_deny_note', { client: 'Hue-S' })));
});

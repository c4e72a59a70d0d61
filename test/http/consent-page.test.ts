// The consent page says in plain words what an app will receive (SPEC §2, Decree 13/2023):
// no claim reaches the person by its technical name.
import test from 'ava';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent } from '../helpers/user-agent.ts';
import { createTestCitizen, createTestClient, discover, RP_CALLBACK, startAuthorization } from '../helpers/relying-party.ts';
import { PROTOCOL_CLAIMS, SCOPE_CLAIMS, SCOPES } from '../../src/oidc/claims.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

const EVERY_CLAIM = Object.values(SCOPE_CLAIMS).flat();

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
    const items = [...page.body.matchAll(/<li>([^<]*)<\/li>/g)].map((match) => match[1]);
    t.is(items.length, 1 + EVERY_CLAIM.filter((claim) => !PROTOCOL_CLAIMS.includes(claim)).length, `${locale}: the openid scope, then each claim about the person`);
    for (const item of items) t.false(EVERY_CLAIM.includes(item as never), `${locale}: "${item}" is shown by its technical name`);
    t.deepEqual(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g), null, `${locale}: no national_id, tax_code, phone_number … in the text`);
  }
});

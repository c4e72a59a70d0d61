import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent } from '../helpers/user-agent.ts';
import { startRelyingPartyEndpoint } from '../helpers/relying-party-endpoint.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

test('the provider does not call private addresses the operator has not listed (server-side request forgery)', async (t) => {
  const endpoint = await startRelyingPartyEndpoint();
  t.teardown(() => endpoint.close());
  const client = await createTestClient(server, { backchannelLogoutUri: `${endpoint.url}/backchannel` });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(agent, start, citizen.nationalId, citizen.password));

  const bye = 'https://rp.example.vn/bye';
  const confirm = await agent.get(oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: bye }).href, bye);
  const form = readForm(confirm, 'op.logoutForm');
  const done = await agent.submit(confirm, { action: form.action, fields: { ...form.fields, logout: 'yes' } }, bye);
  t.true(done.url.startsWith(bye), 'the person is still logged out and sent back');
  t.deepEqual(endpoint.received, [], 'nothing was sent to localhost');
});

import test from 'ava';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { completeFlow, createTestClient, discover, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { createCitizenAccount, createOrganizationAccount } from '../../src/accounts/operator-create.ts';
import type * as oidc from 'openid-client';

let server: TestServer;
let rp: oidc.Configuration;
const password = 'Mật-khẩu-Tổ-chức-1';

test.before(async () => {
  server = await startTestServer();
  rp = await discover(server, await createTestClient(server));
});
test.after.always(async () => {
  await server?.stop();
});

async function signInAs(identifier: string, secret = password) {
  const start = await startAuthorization(rp);
  const page = await signInThroughPages(new UserAgent(), start, identifier, secret);
  if (!page.url.startsWith('https://rp.example.vn/callback')) return { page };
  return { page, tokens: await completeFlow(rp, start, page) };
}

test('an organization signs in with its tax code, with or without the branch dash', async (t) => {
  const organization = await createOrganizationAccount(server.services, { taxCode: '0100109106-001', orgName: 'Chi nhánh Công ty Thử', phone: '0987000111', password });
  for (const identifier of ['0100109106-001', '0100109106001', ' 0100109106-001 ']) {
    const { tokens } = await signInAs(identifier);
    t.is(tokens?.claims()?.sub, organization.id, identifier);
  }
});

test('a citizen signs in with the personal number, the phone in any common form, or the username', async (t) => {
  const citizen = await createCitizenAccount(server.services, {
    nationalId: '079301000123', fullName: 'Lê Thị Hoa', birthdate: '2001-02-03', gender: 'female', phone: '0356001122', username: 'lethihoa', password,
  });
  for (const identifier of ['079301000123', '0356001122', '+84356001122', '84 356 001 122', 'LeThiHoa']) {
    const { tokens } = await signInAs(identifier);
    t.is(tokens?.claims()?.sub, citizen.id, identifier);
  }
});

test('a phone number shared by two accounts does not sign either in', async (t) => {
  for (const [nationalId, name] of [['001090000201', 'Phạm Văn Một'], ['001090000202', 'Phạm Văn Hai']]) {
    await createCitizenAccount(server.services, { nationalId, fullName: name, birthdate: '1990-01-01', gender: 'male', phone: '0399888777', password });
  }
  const { page, tokens } = await signInAs('0399888777');
  t.is(tokens, undefined);
  t.is(page.status, 401, page.body.match(/role="alert"[\s\S]{0,300}/)?.[0]);
  t.truthy(await signInAs('001090000201').then((result) => result.tokens), 'the personal number still works');
});

test('sign-in results are in the audit log with address and browser, never the password', async (t) => {
  const citizen = await createCitizenAccount(server.services, {
    nationalId: '046090000777', fullName: 'Hoàng Văn Năm', birthdate: '1990-09-09', gender: 'male', phone: '0912000777', password,
  });
  await signInAs('046090000777', 'Sai-mật-khẩu-9');
  await signInAs('046090000777');
  const events = await server.services.db.knex('audit_events').where({ account_id: citizen.id }).orderBy('id');
  t.deepEqual(events.map((event) => event.type), ['signin.failed', 'signin.succeeded', 'consent.given']);
  const failed = events[0];
  t.is(failed.details.reason, 'wrong_password');
  t.truthy(failed.ip);
  const everything = JSON.stringify(await server.services.db.knex('audit_events').select());
  t.false(everything.includes('Sai-mật-khẩu-9'));
  t.false(everything.includes(password));
  t.false(everything.includes('046090000777'), 'identifiers typed at sign-in are not logged');
});

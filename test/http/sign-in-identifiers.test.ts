import test from 'ava';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { escapeHtml } from '../../views/html.ts';
import { completeFlow, createTestClient, discover, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { AccountInputError, createCitizenAccount, createOrganizationAccount } from '../../src/admin/operator-create.ts';
import { hashPassword } from '../../src/passwords/index.ts';
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

/** One password attempt in a browser of its own; the answer as posted, not followed. */
async function attempt(identifier: string, secret: string) {
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const page = await agent.get(start.url.href);
  const login = readForm(page);
  return agent.request(new URL(login.action, page.url).href, { form: { ...login.fields, identifier, password: secret } });
}

/** What a person sees of an answer, less what differs between any two browsers. */
function seen(page: Page, typed: string) {
  const body = page.body
    .replaceAll(escapeHtml(typed.trim()), '(typed)')
    .replace(/\/interaction\/[\w-]+(?=[/?"])/g, '/interaction/(uid)')
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"')
    .replace(/nonce-[^']+'|nonce="[^"]*"/g, 'nonce');
  const headers = [...page.headers].filter(([name]) => !['date', 'set-cookie', 'content-length', 'x-request-id'].includes(name)).map(([name, value]) => `${name}: ${value.replace(/nonce-[^']+'/g, 'nonce')}`);
  return { status: page.status, body, headers };
}

test.serial('an account and an unknown identifier, typed in every spelling, answer alike: status, page, headers, delay and lock', async (t) => {
  // One account per kind: the failures of an account add up whichever identifier names it.
  await createCitizenAccount(server.services, { nationalId: '046090000661', fullName: 'Ngô Văn Sáu', birthdate: '1990-06-06', gender: 'male', phone: '0356001165', password });
  await createCitizenAccount(server.services, { nationalId: '046090000663', fullName: 'Ngô Văn Bảy', birthdate: '1990-07-07', gender: 'male', phone: '0356001166', password });
  await createOrganizationAccount(server.services, { taxCode: '0101248141-002', orgName: 'Chi nhánh Hai', phone: '0987000166', password });
  // How long each failure is held back: the server's waits are recorded, not waited.
  const { waits } = server;
  const phone = (local: string) => [local, `+84${local.slice(1)}`, `84${local.slice(1)}`, `84 ${local.slice(1, 4)} ${local.slice(4, 7)} ${local.slice(7)}`];
  const kinds = [
    { kind: 'personal number', account: ['046090000661', ' 046090000661 '], unknown: ['046090000662', ' 046090000662 '] },
    { kind: 'phone', account: phone('0356001166'), unknown: phone('0356001167') },
    { kind: 'tax code', account: ['0101248141-002', '0101248141002'], unknown: ['0100107518-002', '0100107518002'] },
  ];
  for (const { kind, account, unknown } of kinds) {
    const answers = async (spellings: string[]) => {
      const all = [];
      for (let i = 0; i < 7; i += 1) {
        waits.length = 0;
        const typed = spellings[i % spellings.length];
        all.push({ ...seen(await attempt(typed, `Sai-mật-khẩu-${i}x`), typed), waits: [...waits] });
      }
      return all;
    };
    const known = await answers(account);
    t.deepEqual(known.map((answer) => answer.status), [401, 401, 401, 401, 429, 429, 429], kind);
    t.deepEqual(known.map((answer) => answer.waits), [[0], [0], [1000], [2000], [4000], [], []], `${kind}: slowed down, then refused at once`);
    t.deepEqual(await answers(unknown), known, kind);
  }
});

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

test('no one can take a username that reads as a passport number: its holder keeps signing in by it', async (t) => {
  const holder = await server.services.accounts.create({
    type: 'citizen', nationalIdKind: 'passport', nationalId: 'C7103092', fullName: 'Đặng Thị Mai', phone: '+84356001199', passwordHash: await hashPassword(password, server.config.argon2),
  });
  await t.throwsAsync(
    createCitizenAccount(server.services, { nationalId: '046090000664', fullName: 'Ngô Văn Tám', birthdate: '1990-08-08', gender: 'male', phone: '0356001198', username: 'c7103092', password }),
    { instanceOf: AccountInputError },
  );
  for (const identifier of ['C7103092', 'c7103092']) t.is((await signInAs(identifier)).tokens?.claims()?.sub, holder.id, identifier);
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

test.serial('mixing two identifiers of one person, or typing text that is both a tax code and a phone, answers alike for an account and for none', async (t) => {
  await createCitizenAccount(server.services, { nationalId: '046090000671', fullName: 'Phan Văn Mười', birthdate: '1990-10-10', gender: 'male', phone: '0356001175', password });
  // 0900123452 is a tax code (its check digit holds) and a mobile number (090…).
  await createOrganizationAccount(server.services, { taxCode: '0900123452', orgName: 'Công ty Hưng Yên', phone: '0987000177', password });
  const { lockout } = server.services;
  const delayAfter = lockout.delayAfter;
  lockout.delayAfter = () => 0;
  t.teardown(() => {
    lockout.delayAfter = delayAfter;
  });
  const pattern = (first: string, second: string) => [first, first, first, second, second, first, second];
  const cases = [
    { what: 'personal number, then phone', account: pattern('046090000671', '0356001175'), unknown: pattern('046090000672', '0356001176') },
    { what: 'tax code that is a phone, then that phone', account: pattern('0900123452', '+84900123452'), unknown: pattern('0900987653', '+84900987653') },
  ];
  for (const { what, account, unknown } of cases) {
    const answers = async (sequence: string[]) => {
      const all = [];
      for (const [i, typed] of sequence.entries()) all.push(seen(await attempt(typed, `Sai-mật-khẩu-${i}x`), typed));
      return all;
    };
    const known = await answers(account);
    const none = await answers(unknown);
    t.deepEqual(known.map((answer) => answer.status), none.map((answer) => answer.status), `${what}: the same statuses`);
    t.deepEqual(known, none, `${what}: the same pages and headers`);
  }
});

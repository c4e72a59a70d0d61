import test from 'ava';
import * as oidc from 'openid-client';
import { latestCode, readOutbox, startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { completeFlow, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';
import { WHOLE_FORM, citizenRegistration, REGISTRATION_PASSWORD } from '../helpers/registration-form.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
let server: TestServer;
let rp: oidc.Configuration;

test.before(async () => {
  // Many registrations from one address in this file; the limit itself is tested below.
  server = await startTestServer({ clock, env: { REGISTRATION_MAX_PER_IP_PER_HOUR: '1000' } });
  rp = await discover(server, await createTestClient(server));
});
test.after.always(async () => {
  await server?.stop();
});

const password = REGISTRATION_PASSWORD;
let serial = 0;

/** A valid citizen form with a fresh personal number and phone. */
function citizen(changes: Record<string, string> = {}) {
  serial += 1;
  const id = String(serial).padStart(3, '0');
  return citizenRegistration({
    username: `cong-dan-${id}-${process.pid}`,
    fullName: 'Nguyễn Văn An'.normalize('NFD'),
    phone: `0912${String(process.pid % 1000).padStart(3, '0')}${id}`,
    idNumber: `046090${String(process.pid % 1000).padStart(3, '0')}${id}`,
    ...changes,
  });
}

const e164 = (phone: string) => `+84${phone.slice(1)}`;
const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>) => page.body.includes(escapeHtml(translate('vi', key, params)));

/** Opens the registration form from the sign-in page of a new authorization request. */
async function openForm(agent: UserAgent, type: 'citizen' | 'organization', standalone = false) {
  const start = await startAuthorization(rp, { prompt: '' });
  if (standalone) return { start, page: await agent.get(`${server.url}/register/${type}`) };
  const login = await agent.get(start.url.href);
  const registerHref = /href="([^"]+\/register)"/.exec(login.body)![1];
  const choice = await agent.get(new URL(registerHref, login.url).href);
  const form = readForm(choice);
  return { start, page: await agent.submit(choice, { action: form.action, fields: { ...form.fields, type } }) };
}

async function submitForm(agent: UserAgent, page: Page, fields: Record<string, string>) {
  const form = readForm(page);
  return agent.submit(page, { action: form.action, fields: { ...form.fields, ...WHOLE_FORM, ...fields } }, RP_CALLBACK);
}

async function enterCode(agent: UserAgent, page: Page, code: string) {
  const form = readForm(page);
  return agent.submit(page, { action: form.action, fields: { ...form.fields, code } }, RP_CALLBACK);
}

test('a citizen registers inside a sign-in, proves the phone by SMS, and arrives at the app signed in', async (t) => {
  const agent = new UserAgent();
  const { start, page } = await openForm(agent, 'citizen');
  t.true(shows(page, 'register.title'));
  const values = citizen();
  const otpPage = await submitForm(agent, page, values);
  t.is(otpPage.status, 200);
  t.true(otpPage.body.includes('autocomplete="one-time-code"'));
  // The page says once where the code went, with the number masked, and no placeholder is left.
  const sent = translate('vi', 'otp.sent', { phone: '' }).slice(0, 40);
  t.is(otpPage.body.split(sent).length - 1, 1);
  t.notRegex(otpPage.body.replace(/<[^>]*>/g, ''), /\{\w+\}/);

  const sms = (await readOutbox(server)).filter((message) => message.to === e164(values.phone));
  t.is(sms.length, 1);
  const afterCode = await enterCode(agent, otpPage, await latestCode(server, e164(values.phone)));
  // The person consents for the app, then is sent back with a code.
  const consent = readForm(afterCode);
  const callback = await agent.submit(afterCode, { action: consent.action, fields: { ...consent.fields, decision: 'allow' } }, RP_CALLBACK);
  const tokens = await completeFlow(rp, start, callback);
  const claims = tokens.claims()!;
  t.deepEqual(claims.amr, ['pwd', 'sms']);
  const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, claims.sub);
  t.is(userinfo.name, 'Nguyễn Văn An'.normalize('NFC'), 'stored NFC');
  t.is(userinfo.phone_number, e164(values.phone));
  t.true(userinfo.phone_number_verified);

  // And can sign in again later with the password chosen.
  const again = await startAuthorization(rp, { prompt: 'login' });
  const signedIn = await signInThroughPages(new UserAgent(), again, values.idNumber, password);
  t.true(signedIn.url.startsWith(RP_CALLBACK), `${signedIn.status} ${signedIn.url} ${/<h1[^>]*>.*<\/h1>/.exec(signedIn.body)?.[0]}`);
  const events = await server.services.db.knex('audit_events').whereIn('type', ['registration.started', 'otp.sent', 'account.activated']).where('at', '>', new Date(Date.now() - 60_000));
  t.true(['registration.started', 'otp.sent', 'account.activated'].every((type) => events.some((event) => event.type === type)));
});

test.serial('an email carrying markup is refused with the email error beside its field, and nothing is created or sent', async (t) => {
  const agent = new UserAgent();
  const { page } = await openForm(agent, 'citizen');
  const before = Number((await server.services.db.knex('pending_registrations').count({ n: '*' }))[0].n);
  const values = citizen({ email: '<svg/onload=alert(1)>@x.co' });
  const refused = await submitForm(agent, page, values);
  t.is(refused.status, 400);
  t.true(shows(refused, 'email.format'));
  t.regex(refused.body, /aria-describedby="[^"]*email/, 'the error is tied to the email field');
  t.false(refused.body.includes('<svg'), 'what was typed is shown back as text only');
  t.is(Number((await server.services.db.knex('pending_registrations').count({ n: '*' }))[0].n), before);
  t.is(await server.services.db.knex('accounts').where({ username: values.username }).first(), undefined);
  t.is((await readOutbox(server)).filter((message) => message.to === e164(values.phone)).length, 0, 'no code is sent');
});

test('an organization registers by tax code on the standalone page; its details are sealed at rest', async (t) => {
  const agent = new UserAgent();
  const { page } = await openForm(agent, 'organization', true);
  const fields = {
    username: `cong-ty-${process.pid}`,
    password,
    passwordConfirmation: password,
    taxCode: '0101248141',
    organizationName: 'Công ty Cổ phần Thử Nghiệm',
    representativeName: 'Trần Thị Bình',
    representativeNationalId: '079185000123',
    phone: '0987654321',
    email: 'lienhe@thunghiem.vn',
    province: 'hue',
    ward: 'Phường Phú Xuân',
    houseNumber: '',
    street: 'Hùng Vương',
  };
  const otpPage = await submitForm(agent, page, fields);
  const done = await enterCode(agent, otpPage, await latestCode(server, '+84987654321'));
  t.is(done.status, 200);
  t.true(shows(done, 'register.done'));
  t.true(shows(done, 'home.how_to'), 'with no app to go back to, the page says how a sign-in starts');
  t.regex(done.body, /<a class="button button--primary" href="\/">/, 'and leads home');
  const row = await server.services.db.knex('accounts').where({ username: fields.username }).first();
  t.is(row.status, 'active');
  const stored = JSON.stringify(row);
  for (const secret of ['0101248141', '079185000123', '0987654321', 'Hùng Vương']) t.false(stored.includes(secret), secret);
  const signedIn = await signInThroughPages(new UserAgent(), await startAuthorization(rp), '0101248141', password);
  t.true(signedIn.url.startsWith(RP_CALLBACK) || readForm(signedIn).action.includes('/confirm'));
});

test.serial('errors are shown beside the fields in Vietnamese, the input is kept, and nothing is created', async (t) => {
  const agent = new UserAgent();
  const { page } = await openForm(agent, 'citizen');
  const before = Number((await server.services.db.knex('pending_registrations').count({ n: '*' }))[0].n);
  const values = citizen({ idNumber: '046090999999', birthdate: '1991-01-01', password: 'abc', passwordConfirmation: 'abd', phone: '0111111111' });
  const again = await submitForm(agent, page, values);
  t.is(again.status, 400);
  t.true(again.body.includes('aria-describedby'));
  t.true(again.body.includes('role="alert"'));
  t.true(again.body.includes('value="Lê Lợi"'), 'input kept');
  t.false(again.body.includes('value="abc"'), 'password not echoed');
  t.regex(again.body, /1990/, 'the birth year in the personal number is explained');
  t.is(Number((await server.services.db.knex('pending_registrations').count({ n: '*' }))[0].n), before);
  t.is((await readOutbox(server)).filter((message) => message.to === '+84111111111').length, 0);
});

test('five wrong codes kill the challenge; the right code is then refused too', async (t) => {
  const agent = new UserAgent();
  const { page } = await openForm(agent, 'citizen');
  const values = citizen();
  let current = await submitForm(agent, page, values);
  const right = await latestCode(server, e164(values.phone));
  const wrong = right === '000000' ? '111111' : '000000';
  for (let remaining = 4; remaining >= 1; remaining -= 1) {
    current = await enterCode(agent, current, wrong);
    t.is(current.status, 400);
    t.true(shows(current, 'otp.invalid', { remaining }), `${remaining} left`);
  }
  current = await enterCode(agent, current, wrong);
  t.true(shows(current, 'otp.too_many_attempts'));
  current = await enterCode(agent, current, right);
  t.true(shows(current, 'otp.too_many_attempts'));
  t.is(await server.services.db.knex('accounts').where({ username: values.username }).first(), undefined);
});

test.serial('an expired code is refused; a resend before 60 seconds is refused; after it a new code works', async (t) => {
  const agent = new UserAgent();
  const { page } = await openForm(agent, 'citizen');
  const values = citizen();
  const otpPage = await submitForm(agent, page, values);
  const first = await latestCode(server, e164(values.phone));

  const resendForm = readForm(otpPage, undefined, 1);
  const early = await agent.submit(otpPage, resendForm);
  t.is(early.status, 429);
  t.true(shows(early, 'otp.resend_too_soon', { seconds: 60 }));

  now += 301_000;
  const expired = await enterCode(agent, otpPage, first);
  t.true(shows(expired, 'otp.expired'));

  const resent = await agent.submit(otpPage, readForm(otpPage, undefined, 1));
  t.true(shows(resent, 'otp.resent'));
  const second = await latestCode(server, e164(values.phone));
  t.not(second, undefined);
  const done = await enterCode(agent, resent, second);
  t.false(shows(done, 'otp.expired'));
  t.truthy(await server.services.db.knex('accounts').where({ username: values.username }).first());
});

/** The answer with what differs between any two answers (tokens, ids, dates) taken out. */
function comparable(page: Page) {
  const headers = Object.fromEntries([...page.headers].filter(([name]) => !['date', 'set-cookie', 'x-request-id'].includes(name)));
  return {
    status: page.status,
    headers,
    // The masked phone differs as the phones typed do (its last three digits).
    body: page.body.replace(/\/register\/verify\/[0-9a-f-]+/g, '').replace(/name="_csrf" value="[^"]*"/g, '').replace(/\d{3}(?=<|\s|\.)/g, ''),
  };
}

test('a registered personal number is told only after the code sent to the phone typed, with the way to sign in or reset', async (t) => {
  const values = citizen();
  const first = new UserAgent();
  const { page } = await openForm(first, 'citizen', true);
  await enterCode(first, await submitForm(first, page, values), await latestCode(server, e164(values.phone)));

  // The form answers a taken number exactly as a free one: nothing told to whoever types it.
  const phone = '0398000111';
  const taken = new UserAgent();
  const { page: takenForm } = await openForm(taken, 'citizen', true);
  const takenAnswer = await submitForm(taken, takenForm, { ...values, username: `${values.username}-2`, phone });
  const free = new UserAgent();
  const { page: freeForm } = await openForm(free, 'citizen', true);
  const freeAnswer = await submitForm(free, freeForm, { ...citizen(), phone: '0398000112' });
  t.is(takenAnswer.status, 200);
  t.deepEqual(comparable(takenAnswer), comparable(freeAnswer));

  // Whoever holds the phone typed learns it, with the way on.
  const code = await latestCode(server, e164(phone));
  const refused = await enterCode(taken, takenAnswer, code);
  t.is(refused.status, 409);
  t.true(shows(refused, 'register.duplicate_national_id'));
  t.true(refused.body.includes('href="/forgot"'), 'offers the password reset');
  t.is((await server.services.db.knex('accounts').where({ username: `${values.username}-2` })).length, 0);
  // Posted again (a lost answer): the same refusal, not a dead end.
  const again = await enterCode(taken, takenAnswer, code);
  t.is(again.status, 409);
  t.true(shows(again, 'register.duplicate_national_id'));
});

test('a taken username is told only after the code, too', async (t) => {
  const values = citizen();
  const first = new UserAgent();
  const { page } = await openForm(first, 'citizen', true);
  await enterCode(first, await submitForm(first, page, values), await latestCode(server, e164(values.phone)));
  const second = new UserAgent();
  const { page: form } = await openForm(second, 'citizen', true);
  const other = citizen({ username: values.username });
  const codePage = await submitForm(second, form, other);
  t.is(codePage.status, 200);
  const refused = await enterCode(second, codePage, await latestCode(server, e164(other.phone)));
  t.is(refused.status, 409);
  t.true(shows(refused, 'register.duplicate_username'));
  t.true(refused.body.includes('href="/register"'), 'offers to register again');
});

test('two simultaneous registrations of one person end in exactly one account', async (t) => {
  const values = citizen();
  const phones = [citizen().phone, citizen().phone];
  const people = [new UserAgent(), new UserAgent()];
  const pages = await Promise.all(people.map(async (agent, index) => {
    const { page } = await openForm(agent, 'citizen', true);
    return submitForm(agent, page, { ...values, username: `${values.username}-${index}`, phone: phones[index] });
  }));
  const codes = await Promise.all(phones.map((phone) => latestCode(server, e164(phone))));
  const results = await Promise.all(people.map((agent, index) => enterCode(agent, pages[index], codes[index])));
  t.deepEqual(results.map((page) => page.status).sort(), [200, 409]);
  const rows = await server.services.db.knex('accounts').whereIn('username', [`${values.username}-0`, `${values.username}-1`]);
  t.is(rows.length, 1);
});

test('a registration form sent back with errors switches to English by its link, with a GET of the same form', async (t) => {
  const agent = new UserAgent();
  const page = await agent.get(`${server.url}/register/citizen`);
  const refused = await submitForm(agent, page, citizen({ idNumber: '12' }));
  t.is(refused.status, 400);
  const href = /<a href="([^"]+)" hreflang="en"/.exec(refused.body)![1].replace(/&amp;/g, '&');
  const english = await agent.get(new URL(href, refused.url).href);
  t.is(english.status, 200);
  t.regex(english.body, /<html lang="en"/);
  t.true(english.body.includes(escapeHtml(translate('en', 'register.heading_citizen'))));
});

test('an SMS provider failure shows a clear error and keeps the registration for a retry', async (t) => {
  const failing = await startTestServer({ env: { SMS_PROVIDER: 'http', SMS_HTTP_URL: 'http://localhost:9/unreachable' } });
  try {
    const agent = new UserAgent();
    const page = await agent.get(`${failing.url}/register/citizen`);
    const values = citizen();
    const otpPage = await submitForm(agent, page, values);
    t.true(shows(otpPage, 'sms.send_failed'));
    t.is(Number((await failing.services.db.knex('pending_registrations').count({ n: '*' }))[0].n), 1, 'kept for a retry');
    const retry = await agent.submit(otpPage, readForm(otpPage, undefined, 1));
    t.true(shows(retry, 'sms.send_failed'), 'a resend is allowed at once, and fails the same way');
  } finally {
    await failing.stop();
  }
});

test.serial('a registration left unverified expires after 24 hours and blocks nobody', async (t) => {
  const values = citizen();
  const agent = new UserAgent();
  const { page } = await openForm(agent, 'citizen', true);
  const otpPage = await submitForm(agent, page, values);
  now += 24 * 3600_000 + 1000;
  const later = await agent.get(otpPage.url);
  t.is(later.status, 404);
  t.true(shows(later, 'otp.expired'));
  t.true((await server.services.pending.sweep()) >= 1);

  // The same person registers again from scratch.
  const fresh = new UserAgent();
  const { page: again } = await openForm(fresh, 'citizen', true);
  const code = await submitForm(fresh, again, values);
  const done = await enterCode(fresh, code, await latestCode(server, e164(values.phone)));
  t.true(shows(done, 'register.done'));
});

// SPEC §5 (nothing lost): activation is one transaction. Each of its writes is made to fail in turn by
// a trigger the test installs for this registration alone (PGlite and PostgreSQL alike):
// a database error, or on PostgreSQL the connection killed in the middle of it.
const ACTIVATION_WRITES = {
  'using up the code': (ids: RegistrationIds) => `BEFORE UPDATE ON otp_challenges FOR EACH ROW WHEN (NEW.id = '${ids.challenge}' AND OLD.consumed_at IS NULL AND NEW.consumed_at IS NOT NULL)`,
  'creating the account': (ids: RegistrationIds) => `BEFORE INSERT ON accounts FOR EACH ROW WHEN (NEW.username = '${ids.username}')`,
  'ending the pending registration': (ids: RegistrationIds) => `BEFORE UPDATE ON pending_registrations FOR EACH ROW WHEN (NEW.id = '${ids.registration}' AND NEW.outcome IS NOT NULL)`,
  'recording the event': (ids: RegistrationIds) => `BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.type = 'account.activated' AND NEW.details->>'registration' = '${ids.registration}')`,
};

interface RegistrationIds {
  registration: string;
  challenge: string;
  username: string;
}

let triggerSerial = 0;
async function failWriteOnce(write: keyof typeof ACTIVATION_WRITES, ids: RegistrationIds, how: 'error' | 'kill'): Promise<() => Promise<void>> {
  const knex = server.services.db.knex;
  const name = `xacthuc_test_failure_${(triggerSerial += 1)}`;
  await knex.raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_ARGV[0] = 'kill' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
      RAISE EXCEPTION 'failure injected by the test';
    END $$`);
  const definition = ACTIVATION_WRITES[write](ids);
  const table = /ON (\w+)/.exec(definition)![1];
  await knex.raw(`CREATE TRIGGER ${name} ${definition} EXECUTE FUNCTION ${name}('${how}')`);
  return async () => {
    await knex.raw(`DROP TRIGGER ${name} ON ${table}`);
    await knex.raw(`DROP FUNCTION ${name}()`);
  };
}

/** What activation wrote for the registration, read from the database. */
async function activationState(ids: RegistrationIds) {
  const knex = server.services.db.knex;
  const pending = await knex('pending_registrations').where({ id: ids.registration }).first();
  const challenge = await knex('otp_challenges').where({ id: ids.challenge }).first();
  return {
    accounts: (await knex('accounts').where({ username: ids.username })).length,
    registrationEnded: pending.outcome !== null,
    formKept: pending.data_enc !== null,
    codeUsed: challenge.consumed_at !== null,
    activatedEvents: (await knex('audit_events').where({ type: 'account.activated' }).whereRaw(`details->>'registration' = ?`, [ids.registration])).length,
  };
}

const NOTHING = { accounts: 0, registrationEnded: false, formKept: true, codeUsed: false, activatedEvents: 0 };
const EVERYTHING = { accounts: 1, registrationEnded: true, formKept: false, codeUsed: true, activatedEvents: 1 };
const failures: Array<'error' | 'kill'> = process.env.DATABASE_URL ? ['error', 'kill'] : ['error'];

for (const write of Object.keys(ACTIVATION_WRITES) as Array<keyof typeof ACTIVATION_WRITES>) {
  for (const how of failures) {
    test(`activation with ${how === 'error' ? 'a database error' : 'the connection killed'} at ${write}: nothing happens, and the code posted again finishes it`, async (t) => {
      const values = citizen();
      const agent = new UserAgent();
      const { page } = await openForm(agent, 'citizen', true);
      const codePage = await submitForm(agent, page, values);
      const registration = /\/register\/verify\/([0-9a-f-]{36})/.exec(codePage.url)![1];
      const ids = { registration, challenge: (await server.services.db.knex('pending_registrations').where({ id: registration }).first()).challenge_id, username: values.username };
      const code = await latestCode(server, e164(values.phone));

      const restore = await failWriteOnce(write, ids, how);
      let failed: Page;
      try {
        failed = await enterCode(agent, codePage, code);
      } finally {
        await restore();
      }
      t.true(failed.status >= 500, `answered ${failed.status}`);
      t.deepEqual(await activationState(ids), NOTHING);

      // The same code again (a killed connection may cost the pool one more failed try).
      let done = await enterCode(agent, codePage, code);
      if (done.status >= 500) done = await enterCode(agent, codePage, code);
      t.is(done.status, 200);
      t.true(shows(done, 'register.done'));
      t.deepEqual(await activationState(ids), EVERYTHING);

      // The answer lost, the code is posted again, or a new one asked for: no dead end.
      const again = await enterCode(agent, codePage, code);
      t.is(again.status, 200);
      t.true(shows(again, 'register.done'));
      const resend = await agent.submit(codePage, readForm(codePage, undefined, 1));
      t.is(resend.status, 200);
      t.true(shows(resend, 'register.done'));
    });
  }
}

test('a code posted again after an activation inside a sign-in sends the person to sign in', async (t) => {
  const agent = new UserAgent();
  const { page } = await openForm(agent, 'citizen');
  const values = citizen();
  const codePage = await submitForm(agent, page, values);
  const code = await latestCode(server, e164(values.phone));
  // The answer (a redirect back to the app) is lost: the browser never follows it.
  const form = readForm(codePage);
  const first = await agent.request(new URL(form.action, codePage.url).href, { form: { ...form.fields, code } });
  t.is(first.status, 303);
  const again = await enterCode(agent, codePage, code);
  t.is(again.status, 200);
  t.true(shows(again, 'register.done'));
  const uid = /\/interaction\/([^/]+)\//.exec(readForm(codePage).action)![1];
  t.true(again.body.includes(`href="/interaction/${uid}"`), 'a link back to the sign-in');
});

// The registration form walked as a person does, one short step at a time (SPEC §6): each
// step checked on its own, the values kept across steps, a way back, the personal number's
// facts used, and nothing created before the last step.
import test from 'ava';
import { readOutbox, startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, rulesNotMet, UserAgent, type Page } from '../helpers/user-agent.ts';
import { citizenRegistration } from '../helpers/registration-form.ts';
import { registrationSteps } from '../../src/accounts/registration/index.ts';

let server: TestServer;

test.before(async () => {
  server = await startTestServer({ env: { REGISTRATION_MAX_PER_IP_PER_HOUR: '1000' } });
});
test.after.always(async () => {
  await server?.stop();
});

const { step: _whole, ...person } = citizenRegistration({
  username: `buoc-${process.pid}`,
  phone: `0913${String(process.pid % 1000).padStart(3, '0')}555`,
  idNumber: `046090${String(process.pid % 1000).padStart(3, '0')}555`,
  gender: '',
  birthdate: '17.05.1990',
});

/** The values a step asks, taken from the person's answers. */
function answersFor(step: number, answers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(registrationSteps.citizen[step - 1].map((field) => [field.name, answers[field.name] ?? '']));
}

async function post(agent: UserAgent, page: Page, fields: Record<string, string>): Promise<Page> {
  const form = readForm(page);
  return agent.submit(page, { action: form.action, fields: { ...form.fields, ...fields } });
}

const progress = (page: Page) => /<p class="progress">Bước (\d)\/4<\/p>/.exec(page.body)?.[1];
const shownControls = (page: Page) => [...page.body.matchAll(/<(?:input|select)\b(?![^>]*type="hidden")[^>]*\bid="(\w+)"/g)].map((match) => match[1]);
const selected = (page: Page, id: string) => new RegExp(`<select id="${id}"[\\s\\S]*?<option value="(\\w+)" selected>`).exec(page.body)?.[1];

test('a citizen registers in four short steps: document, person, address, account; back keeps what was typed', async (t) => {
  const agent = new UserAgent();
  const before = Number((await server.services.db.knex('pending_registrations').count({ n: '*' }))[0].n);
  const first = await agent.get(`${server.url}/register/citizen`);
  t.is(progress(first), '1');
  t.deepEqual(shownControls(first), ['idType', 'idNumber', 'nationality', 'issueDate', 'issuePlace']);

  // A step is checked on its own: a wrong personal number stays on step 1, with what was typed.
  const wrong = await post(agent, first, answersFor(1, { ...person, idNumber: '04609000' }));
  t.is(wrong.status, 400);
  t.is(progress(wrong), '1');
  t.regex(wrong.body, /id="idNumber-error"/);
  t.regex(wrong.body, /<input id="issuePlace"[^>]*value="Cục Cảnh sát/);

  const second = await post(agent, wrong, answersFor(1, person));
  t.is(second.status, 200);
  t.is(progress(second), '2');
  // The personal number told the gender and the birth year.
  t.is(selected(second, 'gender'), 'male');
  t.regex(second.body, /id="birthdate-hint">Theo số định danh, bạn sinh năm 1990/);
  t.regex(second.body, new RegExp(`<input type="hidden" name="idNumber" value="${person.idNumber}">`));

  // Back to step 1 and forward again: nothing typed is lost, nothing is checked on the way back.
  const back = await post(agent, second, { ...answersFor(2, { ...person, fullName: 'Nguyễn Văn An' }), go: 'back' });
  t.is(progress(back), '1');
  t.regex(back.body, new RegExp(`<input id="idNumber"[^>]*value="${person.idNumber}"`));
  t.regex(back.body, /<input type="hidden" name="fullName" value="Nguyễn Văn An">/);
  const again = await post(agent, back, answersFor(1, person));
  t.is(progress(again), '2');
  t.regex(again.body, /<input id="fullName"[^>]*value="Nguyễn Văn An"/);

  // A birth date written day.month.year is the same date.
  const third = await post(agent, again, answersFor(2, { ...person, gender: 'male' }));
  t.is(progress(third), '3');
  const fourth = await post(agent, third, answersFor(3, person));
  t.is(progress(fourth), '4');
  t.deepEqual(shownControls(fourth), ['username', 'password', 'passwordConfirmation', 'phone', 'email']);
  t.is(Number((await server.services.db.knex('pending_registrations').count({ n: '*' }))[0].n), before, 'nothing kept before the last step');

  // The password checklist marks the rules not met, and the step is shown again.
  const weak = await post(agent, fourth, { ...answersFor(4, person), password: 'abc', passwordConfirmation: 'abc' });
  t.is(weak.status, 400);
  t.is(progress(weak), '4');
  t.deepEqual(rulesNotMet(weak), ['length', 'upper', 'digit', 'special']);

  const code = await post(agent, weak, answersFor(4, person));
  t.is(code.status, 200);
  t.regex(code.body, /autocomplete="one-time-code"/);
  const sms = (await readOutbox(server)).filter((message) => message.to === `+84${person.phone.slice(1)}`);
  t.is(sms.length, 1);
});

test('a value of an earlier step altered on its way through a later one sends the person back to that step', async (t) => {
  const agent = new UserAgent();
  let page = await agent.get(`${server.url}/register/citizen`);
  for (const step of [1, 2, 3]) page = await post(agent, page, answersFor(step, { ...person, gender: 'male' }));
  t.is(progress(page), '4');
  const refused = await post(agent, page, { ...answersFor(4, person), idNumber: '999090001234' });
  t.is(refused.status, 400);
  t.is(progress(refused), '1');
  t.regex(refused.body, /id="idNumber-error"/);
});

test('a posted step number out of range, or none, is the whole form checked at once', async (t) => {
  const agent = new UserAgent();
  const first = await agent.get(`${server.url}/register/citizen`);
  for (const step of ['0', '9', '-1', '1e3', 'x'.repeat(5000)]) {
    const page = await post(agent, first, { ...answersFor(1, person), step });
    t.is(page.status, 400, step.slice(0, 10));
    t.is(progress(page), '2', 'the first step in error is shown: the person step was not filled');
  }
});

// The audit log in the operator console and the admin API (issue point 7): each filter narrows
// to what it names, pages follow each other with no gap or duplicate, the CSV download is
// well-formed, defused, streamed and masked unless an operator allowed to reveal asks, every
// download is itself in the log, and hostile filters get a clear answer, never a 500.
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent, type Page } from '../helpers/user-agent.ts';
import { createTestCitizen, createTestClient } from '../helpers/relying-party.ts';
import { createTestOperator, signInToConsole, type TestOperator } from '../helpers/console.ts';
import { parseCsv } from '../helpers/csv.ts';
import { grantAdminFunctions } from '../../src/admin/index.ts';
import { maskNationalId, maskPhone } from '../../src/accounts/index.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
const epoch = () => Math.floor(now / 1000);
let server: TestServer;
let auditor: TestOperator;
let superAdmin: TestOperator;
const auditorAgent = new UserAgent();
const adminAgent = new UserAgent();
let citizenA: Awaited<ReturnType<typeof createTestCitizen>>;
let citizenB: Awaited<ReturnType<typeof createTestCitizen>>;

test.before(async () => {
  server = await startTestServer({ clock });
  auditor = await createTestOperator(server, ['auditor']);
  superAdmin = await createTestOperator(server, ['super_admin']);
  await signInToConsole(server, auditorAgent, auditor, epoch());
  await signInToConsole(server, adminAgent, superAdmin, epoch());
  citizenA = await createTestCitizen(server, { phone: '0912000111' });
  citizenB = await createTestCitizen(server, { phone: '0912000222' });
});
test.after.always(async () => {
  await server?.stop();
});

interface Seeded {
  at: string;
  type: string;
  accountId?: string;
  clientId?: string;
  ip?: string;
  userAgent?: string;
  details?: Record<string, unknown>;
}

/** Events written straight into the log at the times given; their ids, in order. */
async function seed(events: Seeded[]): Promise<string[]> {
  const rows = await server.services.db.knex('audit_events').insert(events.map((event) => ({
    at: new Date(event.at),
    type: event.type,
    account_id: event.accountId ?? null,
    client_id: event.clientId ?? null,
    ip: event.ip ?? '203.0.113.7',
    user_agent: event.userAgent ?? null,
    details: JSON.stringify(event.details ?? {}),
  }))).returning('id');
  return rows.map((row: { id: string | number }) => String(row.id));
}

async function serviceToken(functions: string[]): Promise<string> {
  const client = await createTestClient(server, { name: 'Hệ thống giám sát', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
  await grantAdminFunctions(server.services, client.client_id, functions, { operator: null, via: 'test' });
  const configuration = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  return (await oidc.clientCredentialsGrant(configuration, { scope: functions.map((name) => `admin:${name}`).join(' ') })).access_token;
}

const api = (path: string, token: string) => fetch(`${server.url}/admin/api${path}`, { headers: { authorization: `Bearer ${token}` } });

/** The ids the API lists for `query`, every page followed. */
async function idsFor(token: string, query: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let before: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: '500', ...(before ? { before } : {}) });
    const answer = await api(`/audit-events?${params}`, token);
    if (answer.status !== 200) throw new Error(`${answer.status} ${await answer.text()}`);
    const body = (await answer.json()) as { events: Array<{ id: string }>; next: string | null };
    ids.push(...body.events.map((event) => event.id));
    before = body.next;
  } while (before);
  return ids;
}

/** A download as its bytes arrive, BOM included (a Response's text() would drop it). */
async function download(agent: UserAgent, url: string): Promise<{ status: number; headers: Headers; text: string }> {
  const answer = await fetch(url, { headers: { cookie: [...agent.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } });
  return { status: answer.status, headers: answer.headers, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await answer.arrayBuffer()) };
}

const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>) => page.body.includes(escapeHtml(translate('vi', key, params)));
const idsShown = (page: Page) => [...page.body.matchAll(/<tr id="event-(\d+)">/g)].map((match) => match[1]!);
const rowsOf = (page: Page) => idsShown(page).length;
const JANUARY = { from: '01/01/2026', to: '31/01/2026' };

test.serial('each filter narrows the log to what it names: account by identifier or id, client, operator, type, time', async (t) => {
  const operatorId = superAdmin.account.id;
  const [signedIn, failed, operatorAction, locked, serviceAction, lateEvening, nextMorning] = await seed([
    { at: '2026-01-10T03:00:00Z', type: 'signin.succeeded', accountId: citizenA.account.id, clientId: 'filter-app-one' },
    { at: '2026-01-11T03:00:00Z', type: 'signin.failed', accountId: citizenB.account.id, clientId: 'filter-app-two', details: { reason: 'wrong_password' } },
    { at: '2026-01-12T03:00:00Z', type: 'admin.account.locked', accountId: citizenA.account.id, details: { operator: operatorId } },
    { at: '2026-01-12T04:00:00Z', type: 'account.locked', accountId: citizenA.account.id },
    { at: '2026-01-13T03:00:00Z', type: 'admin.client.suspended', clientId: 'filter-app-two', details: { operator: null, serviceClient: 'filter-service' } },
    { at: '2026-01-20T16:30:00Z', type: 'signin.succeeded', accountId: citizenB.account.id, clientId: 'filter-app-one' }, // 23:30 on the 20th in Viet Nam
    { at: '2026-01-20T17:30:00Z', type: 'signin.succeeded', accountId: citizenB.account.id, clientId: 'filter-app-one' }, // 00:30 on the 21st
  ]);
  const token = await serviceToken(['audit.read']);
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['the whole window', JANUARY, [nextMorning, lateEvening, serviceAction, locked, operatorAction, failed, signedIn]],
    ['an account by its personal number', { ...JANUARY, account: citizenA.nationalId }, [locked, operatorAction, signedIn]],
    ['an account by its phone as +84', { ...JANUARY, account: '+84912000222' }, [nextMorning, lateEvening, failed]],
    ['an account by its id', { ...JANUARY, account: citizenB.account.id.toUpperCase() }, [nextMorning, lateEvening, failed]],
    ['a client', { ...JANUARY, client: 'filter-app-two' }, [serviceAction, failed]],
    ['an operator by personal number', { ...JANUARY, operator: superAdmin.nationalId }, [operatorAction]],
    ['an operator by account id', { ...JANUARY, operator: operatorId }, [operatorAction]],
    ['a service client of the admin API', { ...JANUARY, operator: 'filter-service' }, [serviceAction]],
    ['a type', { ...JANUARY, type: 'account.locked' }, [locked]],
    ['every operator action', { ...JANUARY, type: 'admin.*' }, [serviceAction, operatorAction]],
    ['one day, in Viet Nam time', { from: '20/01/2026', to: '20/01/2026', client: 'filter-app-one' }, [lateEvening]],
    ['the next day', { from: '2026-01-21', to: '2026-01-21', client: 'filter-app-one' }, [nextMorning]],
    ['an instant range', { from: '2026-01-11T00:00:00Z', to: '2026-01-12T03:00:00Z' }, [failed]],
    ['filters together', { ...JANUARY, account: citizenA.nationalId, type: 'signin.succeeded', client: 'filter-app-one' }, [signedIn]],
    ['an identifier no account has', { ...JANUARY, account: '079199999999' }, []],
  ];
  for (const [what, query, expected] of cases) t.deepEqual(await idsFor(token, query), expected, what);

  // The console page shows the same, each account masked, never in clear.
  const page = await auditorAgent.request(`${server.url}/admin/audit?${new URLSearchParams({ ...JANUARY, account: citizenA.nationalId })}`);
  t.is(page.status, 200);
  t.is(rowsOf(page), 3);
  t.true(page.body.includes(maskNationalId(citizenA.nationalId)));
  const events = /<tbody>[\s\S]*<\/tbody>/.exec(page.body)![0];
  t.false(events.includes(citizenA.nationalId), 'the events show the personal number masked, never in clear');
  t.true(page.body.includes(`value="${citizenA.nationalId}"`), 'what the operator typed is shown back in its field');
  t.true(shows(page, 'audit.event.account.locked'));
  t.true(page.body.includes('admin.account.locked'), 'an action without a label is shown by its type');
  t.true(page.body.includes('<time datetime="2026-01-10T03:00:00.000Z">10/01/2026 10:00:00</time>'), 'times in Viet Nam time');
  const none = await auditorAgent.request(`${server.url}/admin/audit?${new URLSearchParams({ account: '079199999999' })}`);
  t.is(none.status, 200);
  t.true(shows(none, 'audit.no_account', { field: translate('vi', 'audit.filter.account') }));
});

test.serial('pages newest first, 50 at a time, follow each other by their "Older" link with no gap and no duplicate, in the console and the API', async (t) => {
  const seeded = await seed(Array.from({ length: 123 }, (_, index) => ({
    // Times deliberately out of step with ids: pages follow the ids.
    at: new Date(Date.UTC(2026, 1, 1 + (index % 20), 3)).toISOString(), type: 'signin.succeeded', clientId: 'paging-app',
  })));
  const expected = [...seeded].reverse();
  const seen: string[] = [];
  let page = await auditorAgent.request(`${server.url}/admin/audit?client=paging-app`);
  const sizes: number[] = [];
  for (;;) {
    t.is(page.status, 200);
    sizes.push(rowsOf(page));
    const older = /<a class="button button--primary" href="([^"]+)" rel="next">/.exec(page.body)?.[1];
    seen.push(...idsShown(page));
    if (!older) break;
    page = await auditorAgent.request(`${server.url}${older.replace(/&amp;/g, '&')}`);
    t.true(shows(page, 'audit.newest'), 'a page after the first leads back to the newest');
  }
  t.deepEqual(sizes, [50, 50, 23]);
  t.deepEqual(seen, expected, 'every event once, newest first');
  const token = await serviceToken(['audit.read']);
  const byApi: string[] = [];
  let before: string | null = null;
  do {
    const body = (await (await api(`/audit-events?${new URLSearchParams({ client: 'paging-app', limit: '40', ...(before ? { before } : {}) })}`, token)).json()) as { events: Array<{ id: string }>; next: string | null };
    byApi.push(...body.events.map((event) => event.id));
    before = body.next;
  } while (before);
  t.deepEqual(byApi, expected);
  t.is(new Set(byApi).size, 123);
});

test.serial('the CSV download is UTF-8 with a BOM, an attachment, RFC 4180, every formula defused, and identifiers masked for an auditor', async (t) => {
  await seed([
    { at: '2026-03-02T03:00:00Z', type: 'signin.failed', accountId: citizenA.account.id, clientId: '=cmd|calc', userAgent: '+SUM(1,2)\r\n"quoted"', details: { reason: '@evil', note: 'Lê Thị Ánh, "Huế"' } },
    { at: '2026-03-02T04:00:00Z', type: 'signin.succeeded', accountId: citizenA.account.id, clientId: '=cmd|calc', ip: '-1+1' },
  ]);
  const answer = await download(auditorAgent, `${server.url}/admin/audit.csv?client=${encodeURIComponent('=cmd|calc')}`);
  t.is(answer.status, 200);
  t.is(answer.headers.get('content-type'), 'text/csv; charset=utf-8');
  t.regex(answer.headers.get('content-disposition') ?? '', /^attachment; filename="audit-events-\d{4}-\d{2}-\d{2}\.csv"$/);
  t.is(answer.headers.get('cache-control'), 'no-store');
  t.true(answer.text.startsWith('\uFEFF'), 'a byte order mark, so Excel reads Vietnamese');
  const [header, ...records] = parseCsv(answer.text.slice(1));
  t.deepEqual(header, ['id', 'time_utc', 'time_vietnam', 'type', 'event', 'account_id', 'account_identifier', 'account_phone', 'client_id', 'ip', 'user_agent', 'details']);
  t.is(records.length, 2);
  const [succeeded, failed] = records.map((record) => Object.fromEntries(header!.map((name, index) => [name, record[index]!])));
  t.is(failed!.type, 'signin.failed');
  t.is(failed!.event, translate('vi', 'audit.event.signin.failed'));
  t.is(failed!.time_vietnam, '02/03/2026 10:00:00');
  t.is(failed!.client_id, "'=cmd|calc");
  t.is(failed!.user_agent, `'+SUM(1,2)\r\n"quoted"`);
  t.is(succeeded!.ip, "'-1+1");
  t.deepEqual(JSON.parse(failed!.details!), { reason: '@evil', note: 'Lê Thị Ánh, "Huế"' });
  t.is(failed!.account_identifier, maskNationalId(citizenA.nationalId));
  t.is(failed!.account_phone, maskPhone('+84912000111'));
  t.false(answer.text.includes(citizenA.nationalId));
  t.false(answer.text.includes('0912000111'));
  for (const record of records) for (const cell of record) t.notRegex(cell, /^[=+\-@\t\r]/);

  const exported = await server.services.db.knex('audit_events').where({ type: 'admin.audit.exported' }).whereRaw(`details->>'filterClient' = ?`, ['=cmd|calc']);
  t.is(exported.length, 1, 'the download is in the log');
  t.is(exported[0].details.operator, auditor.account.id);
  t.is(exported[0].details.revealed, false);
  t.is(exported[0].details.filterClient, '=cmd|calc');
});

test.serial('identifiers in clear only for an operator holding accounts.reveal who asks, and that download is in the log as revealed', async (t) => {
  await seed([{ at: '2026-03-05T03:00:00Z', type: 'password.changed', accountId: citizenB.account.id, clientId: 'reveal-app' }]);
  const refused = await auditorAgent.request(`${server.url}/admin/audit.csv?client=reveal-app&reveal=1`);
  t.is(refused.status, 403, 'an auditor may not reveal');
  const auditorPage = await auditorAgent.request(`${server.url}/admin/audit?client=reveal-app`);
  t.false(auditorPage.body.includes('reveal=1'), 'nor is it offered');

  const adminPage = await adminAgent.request(`${server.url}/admin/audit?client=reveal-app`);
  t.true(adminPage.body.includes('/admin/audit.csv?client=reveal-app&amp;reveal=1'));
  t.false(adminPage.body.includes(citizenB.nationalId), 'the page itself never shows them');
  const masked = await adminAgent.request(`${server.url}/admin/audit.csv?client=reveal-app`);
  t.false(masked.body.includes(citizenB.nationalId), 'without asking, a super-administrator gets them masked too');
  const revealed = await download(adminAgent, `${server.url}/admin/audit.csv?client=reveal-app&reveal=1`);
  t.is(revealed.status, 200);
  t.regex(revealed.headers.get('content-disposition') ?? '', /-revealed\.csv"$/);
  const [, record] = parseCsv(revealed.text.slice(1));
  t.is(record![6], citizenB.nationalId);
  t.is(record![7], "'+84912000222", 'a phone in E.164, defused');

  const exportsOf = () => server.services.db.knex('audit_events').where({ type: 'admin.audit.exported' }).whereRaw(`details->>'filterClient' = 'reveal-app'`).orderBy('id');
  const exports = await exportsOf();
  t.deepEqual(exports.map((event) => [event.details.operator, event.details.revealed]), [[superAdmin.account.id, false], [superAdmin.account.id, true]]);
  t.false(exports.some((event) => event.details.operator === auditor.account.id), 'a refused download is not one');

  const token = await serviceToken(['audit.read', 'accounts.reveal']);
  const byApi = await api('/audit-events.csv?client=reveal-app&reveal=1', token);
  t.is(byApi.status, 200);
  t.true((await byApi.text()).includes(citizenB.nationalId));
  const plain = await serviceToken(['audit.read']);
  t.is((await api('/audit-events.csv?client=reveal-app&reveal=1', plain)).status, 403);
  const serviceExports = (await exportsOf()).filter((event) => event.details.serviceClient);
  t.deepEqual(serviceExports.map((event) => event.details.revealed), [true], 'the service client’s revealed download is in the log, the refused one is not');
});

test.serial('an export of 5,000 events streams them all, newest first, in one download', async (t) => {
  const { rows } = (await server.services.db.knex.raw(
    `INSERT INTO audit_events (at, type, client_id, details)
     SELECT timestamptz '2026-04-01T00:00:00Z' + g * interval '1 second', 'otp.sent', 'bulk-app', jsonb_build_object('n', g)
     FROM generate_series(1, 5000) AS g RETURNING id`,
  )) as { rows: Array<{ id: string | number }> };
  const expected = rows.map((row) => String(row.id)).reverse();
  const token = await serviceToken(['audit.read']);
  const answer = await api('/audit-events.csv?client=bulk-app', token);
  t.is(answer.status, 200);
  t.is(answer.headers.get('content-length'), null, 'sent as it is read, its length unknown beforehand');
  t.is(answer.headers.get('transfer-encoding'), 'chunked');
  const [, ...records] = parseCsv((await answer.text()).slice(1));
  t.is(records.length, 5000);
  t.deepEqual(records.map((record) => record[0]), expected);
  t.is(JSON.parse(records[0]![11]!).n, '5000');
});

test.serial('hostile filters get a clear error or an empty result, never a 500', async (t) => {
  const token = await serviceToken(['audit.read']);
  const refused: Array<Record<string, string>> = [
    { from: '31/02/2026' },
    { from: "2026-01-01' OR '1'='1" },
    { to: '01/01/2026', from: '02/01/2026' },
    { type: 'signin.failed; DROP TABLE audit_events' },
    { type: 'nonsense' },
    { account: 'x'.repeat(5000) },
    { client: 'c'.repeat(201) },
    { operator: 'a\u0000b' },
    { before: 'abc' },
    { limit: '100000' },
  ];
  for (const query of refused) {
    const page = await auditorAgent.request(`${server.url}/admin/audit?${new URLSearchParams(query)}`);
    t.is(page.status, 400, JSON.stringify(query).slice(0, 60));
    t.true(shows(page, 'audit.error.summary'));
    t.is(rowsOf(page), 0);
    const csv = await auditorAgent.request(`${server.url}/admin/audit.csv?${new URLSearchParams(query)}`);
    t.is(csv.status, 400);
    const answer = await api(`/audit-events?${new URLSearchParams(query)}`, token);
    t.is(answer.status, 400);
    const body = await answer.json();
    t.is(body.error, 'invalid_request');
    t.regex(body.error_description, /^(from|to|type|account|client|operator|before|limit): \S/);
  }
  const repeated = await auditorAgent.request(`${server.url}/admin/audit?type=logout&type=signin.failed`);
  t.is(repeated.status, 400);
  for (const text of ["' OR 1=1 --", '"; SELECT pg_sleep(10); --', '%', '_', '<script>alert(1)</script>']) {
    for (const field of ['account', 'operator', 'client']) {
      const page = await auditorAgent.request(`${server.url}/admin/audit?${new URLSearchParams({ [field]: text })}`);
      t.is(page.status, 200, `${field} ${text}`);
      t.is(rowsOf(page), 0, `${field} ${text}`);
      t.false(page.body.includes('<script>alert'), 'what was typed is shown escaped');
      const answer = await api(`/audit-events?${new URLSearchParams({ [field]: text })}`, token);
      t.deepEqual(await answer.json(), { events: [], next: null });
    }
  }
});

test.serial('the filter form works without JavaScript: a GET with labelled fields, the type a list of plain words', async (t) => {
  const page = await auditorAgent.request(`${server.url}/admin/audit?type=admin.account.locked&lang=en`);
  t.is(page.status, 200);
  t.regex(page.body, /<form method="get" action="\/admin\/audit"/);
  for (const field of ['account', 'operator', 'client', 'type', 'from', 'to']) t.regex(page.body, new RegExp(`<label for="filter-${field}">`));
  t.true(page.body.includes(`<option value="signin.failed">${translate('en', 'audit.event.signin.failed')}</option>`));
  t.true(page.body.includes(`<option value="admin.*">${translate('en', 'audit.filter.type_admin')}</option>`));
  t.true(page.body.includes('<option value="admin.account.locked" selected>admin.account.locked</option>'), 'an action of another area stays selected');
  t.false(page.body.includes('<script'), 'no script');
});

test.serial('identifiers in clear need a sign-in in the last 5 minutes: after that the download asks the operator to confirm it is them, and nothing is downloaded or logged', async (t) => {
  const exportsBefore = (await server.services.db.knex('audit_events').where({ type: 'admin.audit.exported' })).length;
  now += 6 * 60_000;
  const stale = await adminAgent.request(`${server.url}/admin/audit.csv?client=reveal-app&reveal=1`);
  t.is(stale.status, 401);
  t.true(shows(stale, 'console.reauth_heading'));
  t.true(stale.body.includes(escapeHtml(`/admin/login?${new URLSearchParams({ return: '/admin/audit.csv?client=reveal-app&reveal=1', reauth: '1' })}`)), 'confirming comes back to the download');
  t.is((await server.services.db.knex('audit_events').where({ type: 'admin.audit.exported' })).length, exportsBefore);
  const masked = await adminAgent.request(`${server.url}/admin/audit.csv?client=reveal-app`);
  t.is(masked.status, 200, 'a masked download needs no new sign-in');
});

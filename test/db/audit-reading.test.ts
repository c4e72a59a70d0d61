// Reading the audit log back (src/audit/reading.ts, daily-figures.ts) on a log of some size:
// each filter finds its events through the index made for it, not by reading the whole log,
// and the daily figures through (type, at) or the time's BRIN index. Plans are read with EXPLAIN after ANALYZE.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { AuditReader, dailyFigures, type AuditFilter } from '../../src/audit/index.ts';
import { startOfVietnamDay } from '../../src/admin/vietnam-time.ts';

let db: MigratedTestDatabase;
const account = randomUUID();
const start = Date.parse('2026-09-01T00:00:00Z');

test.before(async () => {
  db = await openMigratedTestDatabase();
  // 30,000 ordinary sign-ins over 60 days, one every three minutes, and a few rare events.
  await db.knex.raw(
    `INSERT INTO audit_events (at, type, account_id, client_id, details)
     SELECT timestamptz '2026-09-01T00:00:00Z' + g * interval '3 minutes', 'signin.succeeded', NULL, 'hue-s', '{"amr":"pwd"}'::jsonb
     FROM generate_series(1, 30000) AS g`,
  );
  await db.knex('audit_events').insert([
    { at: new Date(start + 10 * 86_400_000), type: 'account.locked', account_id: account, client_id: null, details: '{}' },
    { at: new Date(start + 20 * 86_400_000), type: 'admin.account.unlocked', account_id: account, client_id: null, details: JSON.stringify({ operator: 'op-account-id' }) },
    { at: new Date(start + 30 * 86_400_000), type: 'admin.client.suspended', account_id: null, client_id: 'rare-app', details: JSON.stringify({ operator: null, serviceClient: 'svc-1' }) },
    { at: new Date(start + 40 * 86_400_000), type: 'keys.rotated', account_id: null, client_id: null, details: '{}' },
  ]);
  await db.knex.raw('ANALYZE audit_events');
});
test.after.always(async () => {
  await db?.close();
});

/** The plan of the statement `run` sends. */
async function planOf(run: () => Promise<unknown>): Promise<string> {
  const sent: Array<{ sql: string; bindings: unknown[] }> = [];
  const listen = (query: { sql: string; bindings: unknown[] }) => sent.push(query);
  db.knex.on('query', listen);
  try {
    await run();
  } finally {
    db.knex.removeListener('query', listen);
  }
  const [query] = sent;
  // knex reports pg's $n placeholders; EXPLAIN takes knex's ?.
  const { rows } = (await db.knex.raw(`EXPLAIN ${query!.sql.replace(/\$\d+/g, '?')}`, query!.bindings as never)) as { rows: Array<Record<string, string>> };
  return rows.map((row) => Object.values(row)[0]).join('\n');
}

const reader = () => new AuditReader(db.knex);
// PostgreSQL 18 may also skip-scan (account_id, at) for the time alone; either is an index.
const cases: Array<[string, AuditFilter, RegExp, number]> = [
  ['an account', { accountIds: [account] }, /audit_events_account_at\b/, 2],
  ['a client', { clientId: 'rare-app' }, /audit_events_client_id\b/, 1],
  ['an operator', { operator: { accountIds: ['op-account-id'] } }, /audit_events_operator\b/, 1],
  ['a service client', { operator: { accountIds: [], serviceClient: 'svc-1' } }, /audit_events_service_client\b/, 1],
  ['a type', { type: 'keys.rotated' }, /audit_events_type_at\b/, 1],
  ['every operator action', { anyAdminAction: true }, /audit_events_admin_actions\b/, 2],
  ['an hour', { from: new Date(start + 30 * 86_400_000), to: new Date(start + 30 * 86_400_000 + 3_600_000) }, /audit_events_at_brin|audit_events_account_at/, 21],
];

for (const [what, filter, index, found] of cases) {
  test.serial(`${what}: found through ${index.source.replace(/\\b/g, '')}`, async (t) => {
    const events = await reader().events(filter, { limit: 51 });
    t.is(events.length, found);
    const plan = await planOf(() => reader().events(filter, { limit: 51 }));
    t.regex(plan, index);
    t.false(/Seq Scan/.test(plan), plan);
  });
}

test.serial('the daily figures of 30 days are one statement through an index, (type, at) or the time\'s BRIN, not a read of the whole log', async (t) => {
  const from = startOfVietnamDay('2026-09-30');
  const to = startOfVietnamDay('2026-10-30');
  const days = await dailyFigures(db.knex, from, to);
  t.deepEqual([...days.keys()].sort().slice(0, 2), ['2026-09-30', '2026-10-01']);
  t.is(days.size, 30);
  t.is([...days.values()].reduce((sum, day) => sum + day.signIns, 0), 30 * 480);
  const plan = await planOf(() => dailyFigures(db.knex, from, to));
  t.regex(plan, /audit_events_type_at|audit_events_at_brin/);
  t.notRegex(plan, /Seq Scan/);
});

test.serial('batches give every event once, newest first, and stop after the last', async (t) => {
  const ids: string[] = [];
  let batches = 0;
  for await (const batch of reader().batches({ type: 'signin.succeeded', from: new Date(start + 86_400_000), to: new Date(start + 3 * 86_400_000) }, 250)) {
    batches += 1;
    ids.push(...batch.map((event) => event.id));
  }
  t.is(ids.length, 960);
  t.is(batches, 4);
  t.deepEqual(ids, [...ids].sort((a, b) => Number(b) - Number(a)));
  t.is(new Set(ids).size, 960);
});

// What the audit log's filters accept (issue point 7): dates as the registration page reads
// them or ISO, days in Viet Nam time, known types only; anything else an error naming its field.
import test from 'ava';
import { parseAuditFilters, parseBound, parseDay } from '../../src/admin/audit-filters.ts';
import { addDays, startOfVietnamDay, vietnamDateTime, vietnamDay } from '../../src/admin/vietnam-time.ts';

test('a day is read as dd/mm/yyyy or YYYY-MM-DD, and only when it is on the calendar', (t) => {
  t.is(parseDay('05/12/2026'), '2026-12-05');
  t.is(parseDay('5/1/2026'), '2026-01-05');
  t.is(parseDay('2026-12-05'), '2026-12-05');
  t.is(parseDay('29/02/2028'), '2028-02-29');
  for (const text of ['29/02/2027', '31/04/2026', '2026-13-01', '00/01/2026', '12/05', '2026/12/05', '05-12-26', '01/01/1899', 'hôm qua', '']) {
    t.is(parseDay(text), undefined, text);
  }
});

test('a day starts at midnight in Viet Nam (17:00 UTC the day before), and "to" a day includes all of it', (t) => {
  t.is(parseBound('05/12/2026', 'from')?.toISOString(), '2026-12-04T17:00:00.000Z');
  t.is(parseBound('05/12/2026', 'to')?.toISOString(), '2026-12-05T17:00:00.000Z');
  t.is(parseBound('2026-12-05T08:30:00+07:00', 'from')?.toISOString(), '2026-12-05T01:30:00.000Z');
  t.is(parseBound('2026-12-05T08:30:00Z', 'to')?.toISOString(), '2026-12-05T08:30:00.000Z');
  for (const text of ['2026-12-05T08:30:00', '2026-12-05 08:30', '2026-12-05T25:00:00Z', '1970-01-01T00:00:00Z', 'now']) t.is(parseBound(text, 'from'), undefined, text);
});

test('Viet Nam time: 23:30 and 00:30 local fall on two days', (t) => {
  const late = new Date('2026-12-04T16:30:00Z');
  const early = new Date('2026-12-04T17:30:00Z');
  t.is(vietnamDay(late), '2026-12-04');
  t.is(vietnamDay(early), '2026-12-05');
  t.is(vietnamDateTime(late), '04/12/2026 23:30:00');
  t.is(startOfVietnamDay('2026-12-05').toISOString(), '2026-12-04T17:00:00.000Z');
  t.is(addDays('2026-12-01', -1), '2026-11-30');
});

test('the filters of a query string: trimmed, NFC, typed values kept to show back', (t) => {
  const parsed = parseAuditFilters({ account: '  046090001234 ', type: 'signin.failed', from: '01/12/2026', to: '2026-12-05', client: 'hue-s', operator: 'Nguyễn'.normalize('NFD') });
  t.true(parsed.ok);
  if (!parsed.ok) return;
  t.is(parsed.criteria.account, '046090001234');
  t.is(parsed.criteria.operator, 'Nguyễn'.normalize('NFC'));
  t.is(parsed.criteria.type, 'signin.failed');
  t.is(parsed.criteria.limit, 50);
  t.is(parsed.values.account, '  046090001234 ');
  for (const type of ['admin.*', 'admin.operator.signed_in', 'admin.account.locked']) t.true(parseAuditFilters({ type }).ok, type);
});

test('hostile filters are refused with an error naming each field, never guessed at', (t) => {
  const refused: Array<[Record<string, unknown>, string, string]> = [
    [{ from: '31/02/2026' }, 'from', 'audit.error.date_invalid'],
    [{ to: "2026-12-05'; DROP TABLE audit_events; --" }, 'to', 'audit.error.date_invalid'],
    [{ from: `05/12/2026${' '.repeat(50)}x` }, 'from', 'audit.error.too_long'],
    [{ to: "1' OR '1'='1" }, 'to', 'audit.error.date_invalid'],
    [{ from: '05/12/2026', to: '01/12/2026' }, 'to', 'audit.error.range_reversed'],
    [{ type: 'no.such.type' }, 'type', 'audit.error.type_unknown'],
    [{ type: "admin.x' OR 1=1" }, 'type', 'audit.error.type_unknown'],
    [{ type: 'admin.' }, 'type', 'audit.error.type_unknown'],
    [{ account: 'x'.repeat(101) }, 'account', 'audit.error.too_long'],
    [{ client: 'x'.repeat(201) }, 'client', 'audit.error.too_long'],
    [{ operator: 'a\u0000b' }, 'operator', 'audit.error.invalid_characters'],
    [{ account: 'a\u202eb' }, 'account', 'audit.error.invalid_characters'],
    [{ account: ['a', 'b'] }, 'account', 'audit.error.repeated'],
    [{ before: '-1' }, 'before', 'audit.error.cursor_invalid'],
    [{ before: '1e9' }, 'before', 'audit.error.cursor_invalid'],
    [{ before: '9'.repeat(30) }, 'before', 'audit.error.cursor_invalid'],
    [{ limit: '0' }, 'limit', 'audit.error.limit_invalid'],
    [{ limit: '51' }, 'limit', 'audit.error.limit_invalid'],
  ];
  for (const [query, field, message] of refused) {
    const parsed = parseAuditFilters(query);
    t.false(parsed.ok, JSON.stringify(query));
    if (!parsed.ok) t.deepEqual(parsed.errors.map((error) => [error.field, error.message]), [[field, message]], JSON.stringify(query));
  }
  t.true(parseAuditFilters({ limit: '500' }, { maxLimit: 500 }).ok);
  t.false(parseAuditFilters({ limit: '501' }, { maxLimit: 1000 }).ok, 'never more than 500 a page');
  const oversized = parseAuditFilters({ account: 'x'.repeat(100_000) });
  t.false(oversized.ok);
  if (!oversized.ok) t.is(oversized.values.account, '', 'an oversized value is not shown back');
});

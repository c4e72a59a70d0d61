// The audit log's CSV cells (issue point 7): RFC 4180 quoting, and no cell a spreadsheet would
// run as a formula (OWASP CSV injection).
import test from 'ava';
import { csvCell, csvRecord } from '../../src/admin/audit-csv.ts';
import { parseCsv } from '../helpers/csv.ts';

const cases: Array<[string, string]> = [
  ['plain', 'plain'],
  ['Lê Thị Quản', 'Lê Thị Quản'],
  ['', ''],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\nlines', '"two\nlines"'],
  ['two\r\nlines', '"two\r\nlines"'],
  ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
  ['+84912345678', "'+84912345678"],
  ['-1+1', "'-1+1"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\t=1', "'\t=1"],
  ['\r=1', `"'\r=1"`],
  ['a=1', 'a=1'],
];

for (const [value, cell] of cases) {
  test(`the cell of ${JSON.stringify(value)} is ${JSON.stringify(cell)}`, (t) => {
    t.is(csvCell(value), cell);
  });
}

test('a record of hostile cells reads back as the same cells, each formula defused by one apostrophe', (t) => {
  const values = ['=1+2', 'x,"y"', 'line\r\nbreak', '@cmd', 'Nguyễn Văn Ánh', '-', '+'];
  const [record] = parseCsv(csvRecord(values));
  t.deepEqual(record, values.map((value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)));
  for (const cell of record!) t.notRegex(cell, /^[=+\-@\t\r]/);
});

// The dashboard's charts (issue point 7): plain SVG drawn on the server, no script, no inline
// style, a name and description, and the same numbers as a table.
import test from 'ava';
import { barChart, scaleTop } from '../../views/dashboard.ts';

const days = Array.from({ length: 30 }, (_, index) => {
  const date = new Date(Date.UTC(2026, 10, 6 + index)).toISOString().slice(0, 10);
  const [year, month, day] = date.split('-');
  return { date, shown: `${day}/${month}/${year}`, short: `${day}/${month}` };
});

test('the scale tops at 1, 2, 4, 6 or 8 times a power of ten, at or above the largest count', (t) => {
  t.deepEqual([0, 1, 2, 3, 5, 7, 9, 10, 11, 45, 99, 120, 4_321].map(scaleTop), [1, 1, 2, 4, 6, 8, 10, 10, 20, 60, 100, 200, 6_000]);
});

test('a chart is SVG with its title, description and a table of the same numbers; no script, no style, nothing from elsewhere', (t) => {
  const counts = days.map((_, index) => (index === 12 ? 7 : index % 3));
  const markup = barChart('vi', days, { id: 'signIns', name: 'dashboard.figure.signIns', about: 'dashboard.about.signIns', counts }).toString();
  t.notRegex(markup, /<script|style=|on\w+=|href=|xlink|<image|<foreignObject|url\(/i);
  t.regex(markup, /<svg [^>]*viewBox="0 0 400 230"[^>]*role="img"[^>]*aria-labelledby="chart-signIns-title chart-signIns-desc"/);
  t.is(markup.match(/<rect /g)?.length, 30);
  t.regex(markup, /<title id="chart-signIns-title">[^<]*06\/11\/2026[^<]*05\/12\/2026<\/title>/);
  t.regex(markup, /<desc id="chart-signIns-desc">[^<]*7[^<]*18\/11\/2026/);
  t.is(markup.match(/<tr><th scope="row">/g)?.length, 30);
  t.true(markup.includes('<td>7</td>'));
  t.true(markup.includes('<details class="chart__table">'));
});

test('a figure that was 0 every day draws no bar above the axis and says there were none', (t) => {
  const markup = barChart('en', days, { id: 'lockouts', name: 'dashboard.figure.lockouts', about: 'dashboard.about.lockouts', counts: days.map(() => 0) }).toString();
  t.is(markup.match(/height="0"/g)?.length, 30);
  t.true(markup.includes('None in the last 30 days.'));
});

// `npm run bench -- --compare-scope`, judged from figures alone: no bench is run here.
import test from 'ava';
import { loadConfig } from '../../src/config.ts';
import { COMPARED_FLOWS, interleave, SCOPE_VARIANTS, scopeFigures, scopeTable, type ScopeRuns } from '../../bench/compare-scope.ts';
import type { Throughput } from '../../bench/figures.ts';
import { parseBenchOptions } from '../../bench/options.ts';

const names = SCOPE_VARIANTS.map((variant) => variant.name);

function throughput(perSecond: number, cpu: Partial<Throughput> = {}): Throughput {
  return { perSecond, serverMainMs: 10, serverTotalMs: 40, generatorMs: 5, databaseMs: 2, statements: 4, ...cpu };
}

/** Two rounds of each variant; the default signs in at 20/s then 10/s, so a paired ratio differs from a ratio of medians. */
function runsOf(databaseMs = 2): ScopeRuns {
  const rounds = (first: number, second: number, cpu: Partial<Throughput> = {}) => [throughput(first, { databaseMs, ...cpu }), throughput(second, { databaseMs, ...cpu })];
  return {
    default: { 'sign-in': rounds(20, 10), refresh: rounds(400, 400, { statements: 2 }), 'client-credentials': rounds(1000, 1000) },
    'DEFER_WRITES=false': { 'sign-in': rounds(18, 9.5), refresh: rounds(300, 320, { statements: 5 }), 'client-credentials': rounds(1000, 1100) },
    'READ_AHEAD=false': { 'sign-in': rounds(20, 10), refresh: rounds(380, 360, { statements: 3 }), 'client-credentials': rounds(900, 1000) },
  };
}

test('the variants are the server as deployed and each switch turned off alone, as config.ts reads them', (t) => {
  t.deepEqual(SCOPE_VARIANTS.map((variant) => [variant.name, loadConfig(variant.env).requestScope]), [
    ['default', { deferWrites: true, readAhead: true }],
    ['DEFER_WRITES=false', { deferWrites: false, readAhead: true }],
    ['READ_AHEAD=false', { deferWrites: true, readAhead: false }],
  ]);
});

test('each round measures every flow on each variant in turn before the next round begins, each round starting with the next variant', (t) => {
  const order = interleave(['A', 'B', 'C'], ['sign-in', 'refresh'], 2).map(({ round, flow, variant }) => `${round} ${flow} ${variant}`);
  t.deepEqual(order, [
    '1 sign-in A', '1 sign-in B', '1 sign-in C', '1 refresh A', '1 refresh B', '1 refresh C',
    '2 sign-in B', '2 sign-in C', '2 sign-in A', '2 refresh B', '2 refresh C', '2 refresh A',
  ]);
  t.deepEqual(interleave(['A', 'B', 'C'], ['sign-in'], 4).map(({ variant }) => variant).join(''), 'ABCBCACABABC');
  t.is(interleave(names, COMPARED_FLOWS, 3).length, 27);
  t.deepEqual(interleave(names, COMPARED_FLOWS, 0), []);
});

test('every variant gets each figure, and all but the default its ratio to the default round by round', (t) => {
  const figures = scopeFigures(names, runsOf());
  const signIns = figures.filter((row) => row.figure === 'password sign-ins');
  t.deepEqual(signIns.map((row) => row.variant), names);
  t.deepEqual(signIns.map((row) => row.runs), [[20, 10], [18, 9.5], [20, 10]]);
  t.is(signIns[0].toDefault, undefined);
  // 18/20 and 9.5/10, not the ratio of the medians (13.75/15).
  t.deepEqual(signIns[1].toDefault, { runs: [0.9, 0.95], min: 0.9, median: 0.925, max: 0.95 });
  t.deepEqual(signIns[2].toDefault, { runs: [1, 1], min: 1, median: 1, max: 1 });
  const statements = figures.filter((row) => row.figure === 'refresh: statements');
  t.deepEqual(statements.map((row) => row.median), [2, 5, 3]);
  t.deepEqual(statements.map((row) => row.toDefault?.median), [undefined, 2.5, 1.5]);
});

test('the figures are sign-in, refresh and client-credentials rates, then CPU and statements of sign-in and refresh', (t) => {
  const figures = [...new Set(scopeFigures(names, runsOf()).map((row) => `${row.figure} (${row.unit})`))];
  t.deepEqual(figures, [
    'password sign-ins (/s)', 'refresh-token grants (/s)', 'client-credentials grants (/s)',
    'sign-in: xacthuc event loop (ms/op)', 'sign-in: xacthuc all threads (ms/op)', 'sign-in: PostgreSQL (local) (ms/op)', 'sign-in: statements (/op)',
    'refresh: xacthuc event loop (ms/op)', 'refresh: xacthuc (ms/op)', 'refresh: PostgreSQL (local) (ms/op)', 'refresh: statements (/op)',
  ]);
});

test('without a local PostgreSQL its CPU rows are left out instead of printed empty', (t) => {
  const figures = scopeFigures(names, runsOf(Number.NaN));
  t.false(figures.some((row) => row.figure.includes('PostgreSQL')));
  t.is(figures.length, 9 * names.length);
});

test('the table names each figure once, with each variant and its ratio to the default beside it', (t) => {
  const lines = scopeTable(['title'], scopeFigures(names, runsOf()), ['a note']).split('\n');
  t.is(lines[0], 'title');
  t.is(lines.at(-1), 'a note');
  const first = lines.findIndex((line) => line.startsWith('password sign-ins'));
  const signIns = lines.slice(first, first + 3);
  t.regex(signIns[0], /^password sign-ins\s+default\s+\/s\s+10\.0\s+15\.0\s+20\.0$/);
  t.regex(signIns[1], /^\s+DEFER_WRITES=false\s+\/s\s+9\.50\s+13\.8\s+18\.0\s+0\.93 \(0\.90–0\.95\)$/);
  t.regex(signIns[2], /^\s+READ_AHEAD=false\s+\/s\s+10\.0\s+15\.0\s+20\.0\s+1\.00$/);
});

test('--compare-scope is off unless asked for, and --quick shortens its measurements too', (t) => {
  t.false(parseBenchOptions([]).compareScope);
  const quick = parseBenchOptions(['--compare-scope', '--quick', '--runs', '1']);
  t.true(quick.compareScope);
  t.is(quick.runs, 1);
  t.is(quick.signInSeconds, 3);
  t.is(quick.tokenSeconds, 2);
});

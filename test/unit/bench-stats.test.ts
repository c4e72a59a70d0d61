import test from 'ava';
import { median, pairedRatios, percentile, spread } from '../../bench/stats.ts';

test('a percentile is the nearest-rank value', (t) => {
  const values = Array.from({ length: 100 }, (_, index) => 100 - index);
  t.is(percentile(values, 50), 50);
  t.is(percentile(values, 95), 95);
  t.is(percentile(values, 99), 99);
  t.is(percentile(values, 100), 100);
  t.is(percentile(values, 0), 1);
});

test('a percentile of few values is one of them, never an interpolation', (t) => {
  t.is(percentile([30, 10, 20], 50), 20);
  t.is(percentile([30, 10, 20], 99), 30);
  t.is(percentile([7], 99), 7);
});

test('a percentile of nothing is not a number', (t) => {
  t.true(Number.isNaN(percentile([], 50)));
});

test('a percentile outside 0–100 is refused', (t) => {
  t.throws(() => percentile([1], 101), { instanceOf: RangeError });
});

test('the median of an even count is the mean of the middle two', (t) => {
  t.is(median([4, 1, 3, 2]), 2.5);
  t.is(median([5, 1, 3]), 3);
});

test('a spread gives min, median and max without reordering the runs', (t) => {
  const runs = [81, 78, 80];
  t.deepEqual(spread(runs), { min: 78, median: 80, max: 81 });
  t.deepEqual(runs, [81, 78, 80]);
});

test('ratios pair each run with the run measured beside it', (t) => {
  t.deepEqual(pairedRatios([60, 70], [80, 100]), [0.75, 0.7]);
  t.throws(() => pairedRatios([1], [1, 2]), { instanceOf: RangeError });
});

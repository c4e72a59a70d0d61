import test from 'ava';
import { batched } from '../../src/db/batch.ts';

/** A runner that records each batch it is given and doubles every number. */
function doubling() {
  const batches: number[][] = [];
  const run = batched<number, number>(async (inputs) => {
    batches.push(inputs);
    // As PostgreSQL refuses one row's data: SQLSTATE 22P02, invalid text representation.
    if (inputs.includes(13)) throw Object.assign(new Error('unlucky'), { code: '22P02' });
    if (inputs.includes(99)) throw new Error('Connection terminated unexpectedly');
    return inputs.map((input) => input * 2);
  }, 4);
  return { batches, run };
}

test('requests made in one turn of the event loop share one call, and each gets its own answer', async (t) => {
  const { batches, run } = doubling();
  t.deepEqual(await Promise.all([run(1), run(2), run(3)]), [2, 4, 6]);
  t.deepEqual(batches, [[1, 2, 3]]);
});

test('a request made after the turn ended waits for the next call', async (t) => {
  const { batches, run } = doubling();
  t.is(await run(1), 2);
  t.is(await run(2), 4);
  t.deepEqual(batches, [[1], [2]]);
});

test('a turn with more requests than a batch holds is split', async (t) => {
  const { batches, run } = doubling();
  t.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6].map(run)), [2, 4, 6, 8, 10, 12]);
  t.deepEqual(batches, [[1, 2, 3, 4], [5, 6]]);
});

test('data the database refused fails only its own request: the others are tried again alone', async (t) => {
  const { batches, run } = doubling();
  const results = await Promise.allSettled([run(1), run(13), run(3)]);
  t.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled']);
  t.is((results[0] as PromiseFulfilledResult<number>).value, 2);
  t.is(((results[1] as PromiseRejectedResult).reason as Error).message, 'unlucky');
  t.deepEqual(batches, [[1, 13, 3], [1], [13], [3]]);
});

test('a failure that may have taken effect (a lost connection) fails every request of the batch and is not retried', async (t) => {
  const { batches, run } = doubling();
  const results = await Promise.allSettled([run(1), run(99), run(3)]);
  t.deepEqual(results.map((result) => result.status), ['rejected', 'rejected', 'rejected']);
  t.deepEqual(batches, [[1, 99, 3]]);
});

// Requests made during one turn of the event loop share one statement. Under load many
// HTTP requests wait on the database at once; a round trip to PostgreSQL (a socket write,
// a wake-up of the server process, a commit) costs far more than another row in it, so N
// concurrent lookups or inserts become one `WHERE … IN (…)` or one multi-row INSERT.
// Alone, a request waits only for the current turn to end (setImmediate).
//
// A batch belongs to no request: it runs outside the AsyncLocalStorage context of whichever
// request happened to start it (request-scope.ts, oidc-provider's Provider.ctx), so it can
// neither keep nor forget rows, nor defer writes, in that request's name, and the
// connections it opens do not hold on to that request.
import { AsyncLocalStorage } from 'node:async_hooks';

/** Runs a batch: one output per input, in order. A rejection fails the whole batch. */
export type BatchRunner<I, O> = (inputs: I[]) => Promise<O[]>;

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export const MAX_BATCH = 100;

/** Runs a function in the context this module was loaded in, at start-up: no request's. */
const inNoRequest = AsyncLocalStorage.snapshot();

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation). */
function refusedData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

export function batched<I, O>(run: BatchRunner<I, O>, maxBatch = MAX_BATCH): (input: I) => Promise<O> {
  let waiting: Waiting<I, O>[] = [];

  const settle = (batch: Waiting<I, O>[]) => {
    run(batch.map((item) => item.input)).then(
      (outputs) => batch.forEach((item, index) => item.resolve(outputs[index])),
      async (error: unknown) => {
        // One statement is all or nothing: when PostgreSQL refused the data of one input,
        // the requests that happened to share its turn are tried again on their own, one
        // after another (same-key writes keep their order). Any other failure (connection,
        // timeout) may have taken effect or not: retrying could apply a write twice or
        // pile load on a struggling database, so everyone gets the error.
        if (batch.length === 1 || !refusedData(error)) return batch.forEach((item) => item.reject(error));
        for (const item of batch) {
          await run([item.input]).then(([output]) => item.resolve(output), item.reject);
        }
      },
    );
  };

  const flush = () => {
    const batch = waiting;
    waiting = [];
    for (let start = 0; start < batch.length; start += maxBatch) settle(batch.slice(start, start + maxBatch));
  };

  return (input) => new Promise<O>((resolve, reject) => {
    if (waiting.length === 0) setImmediate(() => inNoRequest(flush));
    waiting.push({ input, resolve, reject });
  });
}

/**
 * Options for a named prepared statement (node-postgres): parsed and planned once per
 * connection instead of at every call, which on a cheap look-up costs more than running it.
 * The text must depend on nothing but `name`, and not on the batch: a batched statement
 * takes its keys or rows as arrays (`unnest(CAST(? AS text[]))`), so a connection prepares
 * one statement per operation whatever the batch sizes, and a statement cache such as
 * PgBouncer's `max_prepared_statements` holds them all.
 */
export function prepared(name: string): { name: string } {
  return { name: `xacthuc_${name}` };
}

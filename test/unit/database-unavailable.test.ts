import test from 'ava';
import { isDatabaseUnavailable } from '../../src/db/index.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

test('an unreachable database is an outage: refused, reset or timed-out connections, a server shutting down, a pool with no connection', (t) => {
  const outages: Array<[string, Error]> = [
    ['refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['both addresses of localhost refused', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')])],
    ['connection closed under a query', new Error('Connection terminated unexpectedly')],
    ['administrator shut the server down', withCode('terminating connection due to administrator command', '57P01')],
    ['server starting up', withCode('the database system is starting up', '57P03')],
    ['connection exception class 08', withCode('connection failure', '08006')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['wrapped', new Error('statement failed', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') })],
    ['pool', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })],
  ];
  for (const [what, error] of outages) t.true(isDatabaseUnavailable(error), what);
});

test('a statement the database refuses is not an outage', (t) => {
  const faults: Array<[string, unknown]> = [
    ['unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['missing table', withCode('relation "accounts" does not exist', '42P01')],
    ['syntax', withCode('syntax error at or near "SELEC"', '42601')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ];
  for (const [what, error] of faults) t.false(isDatabaseUnavailable(error), what);
});

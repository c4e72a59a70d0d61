// Whether an error means the database cannot be reached now (a stopped server, a cut
// network, a pool that cannot open a connection), as opposed to a statement it refused.
// The first is an outage: the request may succeed if sent again in a moment (503); the
// second is a fault of this request or of the code (500).

// What the operating system says when the server is not there or the link broke.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// PostgreSQL SQLSTATE: class 08 connection exception; 57P01 admin_shutdown, 57P02
// crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, in recovery);
// 53300 too_many_connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  // knex: no connection could be had from the pool in time.
  if (error.name === 'KnexTimeoutError') return true;
  // pg: the connection closed under a query ("Connection terminated unexpectedly", "… due to connection timeout").
  if (error.message.startsWith('Connection terminated')) return true;
  // A host name with several addresses (localhost: ::1 and 127.0.0.1) fails with one error per address.
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

// Rows one request is about to need, read with the row that names them. oidc-provider
// reads a token and then its Grant, an interaction and then its Session, a code and then
// both: each a round trip of its own, one after the other. The adapter fetches them in
// one statement and keeps the extras for the same request only, once each, and forgets
// them as soon as that request writes anything: what it is handed is what it would have
// read a moment later, never what another request saw.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from 'koa';

export interface StoredRow {
  payload: Record<string, unknown>;
  consumed_at: Date | null;
}

const requests = new AsyncLocalStorage<Map<string, StoredRow | undefined>>();

export const readAheadKey = {
  grant: (id: string) => `Grant\u0000${id}`,
  sessionByUid: (uid: string) => `Session.uid\u0000${uid}`,
};

/** Gives each request its own store; outside one (CLI, tests of the adapter) nothing is kept. */
export function readAheadScope(): Middleware {
  return (_ctx, next) => requests.run(new Map(), next);
}

/** Keeps `row` (undefined: known not to exist) for this request's next look-up of `key`. */
export function keepReadAhead(key: string, row: StoredRow | undefined): void {
  requests.getStore()?.set(key, row);
}

/** This request's row for `key`, if one was read ahead; it is handed out once. */
export function takeReadAhead(key: string): { row: StoredRow | undefined } | undefined {
  const kept = requests.getStore();
  if (!kept?.has(key)) return undefined;
  const row = kept.get(key);
  kept.delete(key);
  return { row };
}

/** A request that writes forgets what it read ahead. */
export function forgetReadAhead(): void {
  requests.getStore()?.clear();
}

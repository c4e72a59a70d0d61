// What one HTTP request keeps of the database between its statements.
//
// Rows read ahead: oidc-provider reads a token and then its Grant and its account, an
// interaction and then its Session, each a round trip of its own, one after the other. A
// statement can bring the rows the request is about to need along with the one it asked for;
// they are kept here for that request only, handed out once, and forgotten when the request
// writes rows of their kind: what it is handed is what it would have read a moment earlier,
// never another request's view, and never older than its own writes.
//
// Writes deferred to the answer: the rows a request writes through a deferring store (the
// oidc-provider adapter) are written together, in one statement, after the request's work
// and before its answer is sent. The client is never told of a code, token or session that
// is not stored; a request whose writes fail answers with an error instead. Once that final
// flush has begun the scope is closed: a write then would be stored by no one, so it throws.
//
// Both are on in production. Each can be turned off (DEFER_WRITES, READ_AHEAD in config.ts)
// to measure what it pays against the same code without it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from 'koa';

/** A store's writes of one request, written when `flush` is called. */
export interface DeferredWrites {
  flush(): Promise<void>;
}

/** What a request scope does; off, a write is made at once, or every row is read when asked for. */
export interface RequestScopeSettings {
  deferWrites: boolean;
  readAhead: boolean;
}

interface Scope {
  settings: RequestScopeSettings;
  kept: Map<string, unknown>;
  /** Counts the request's writes: a row read before one of them is not kept after it. */
  version: number;
  writes: Map<object, DeferredWrites>;
  /** The request's work is over and its final flush has begun: no write may join it. */
  closed: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

const keptKey = (kind: string, value: string) => `${kind}\u0000${value}`;

async function flushScope(scope: Scope): Promise<void> {
  for (const writes of scope.writes.values()) await writes.flush();
}

/**
 * Gives each request its own scope, and writes what it deferred before the answer leaves.
 * Outside a request (CLI, tests of a store) nothing is kept and nothing is deferred.
 */
export function requestScope(settings: RequestScopeSettings = { deferWrites: true, readAhead: true }): Middleware {
  return async (_ctx, next) => {
    const scope: Scope = { settings, kept: new Map(), version: 0, writes: new Map(), closed: false };
    try {
      await scopes.run(scope, next);
    } catch (error) {
      scope.closed = true;
      // What the request wrote before it failed is kept, as if written at once; the failure
      // it answers with is the first one.
      await flushScope(scope).catch(() => undefined);
      throw error;
    }
    scope.closed = true;
    await flushScope(scope);
  };
}

/** Whether a look-up made now should bring along the rows its request needs next (`ReadAhead#keep`). */
export function readsAhead(): boolean {
  return scopes.getStore()?.settings.readAhead ?? false;
}

/** Where this request's writes stand: give it to `ReadAhead#keep` for a row read from now on. */
export function rowsVersion(): number {
  return scopes.getStore()?.version ?? 0;
}

/**
 * The rows of one kind a request may read ahead, typed, owned by the module that queries
 * their table (one `readAhead` per kind, made once at module load): what `keep` is given
 * is what `take` hands out, with no cast at the caller.
 */
export interface ReadAhead<T> {
  readonly kind: string;
  /**
   * Keeps `row` (undefined: known not to exist) for this request's next look-up by `key`;
   * not when the request wrote anything since `since` (`rowsVersion`: the row may predate it).
   */
  keep(key: string, row: T | undefined, since: number): void;
  /** This request's row for `key`, if one was read ahead; it is handed out once. */
  take(key: string): { row: T | undefined } | undefined;
  /** The request writes rows of this kind: it forgets what it read ahead of them. */
  forget(): void;
  /**
   * `write`, forgetting this kind's kept rows before it runs: the module's writes are made
   * through it, so no write of the table can leave a row kept that predates it.
   */
  writes<A extends unknown[], R>(write: (...args: A) => Promise<R>): (...args: A) => Promise<R>;
}

const readAheadKinds = new Set<string>();

/** The typed rows of `kind`; a kind has one owner, so a second `readAhead` of it throws. */
export function readAhead<T>(kind: string): ReadAhead<T> {
  if (readAheadKinds.has(kind)) throw new Error(`rows of kind ${kind} are already read ahead by another module`);
  readAheadKinds.add(kind);
  return {
    kind,
    keep: (key, row, since) => keepRow(kind, key, row, since),
    take: (key) => takeRow<T>(kind, key),
    forget: () => forgetRows(kind),
    writes: (write) => (...args) => {
      forgetRows(kind);
      return write(...args);
    },
  };
}

function keepRow(kind: string, value: string, row: unknown, since: number): void {
  const scope = scopes.getStore();
  if (scope?.settings.readAhead && scope.version === since) scope.kept.set(keptKey(kind, value), row);
}

function takeRow<T>(kind: string, value: string): { row: T | undefined } | undefined {
  const kept = scopes.getStore()?.kept;
  const key = keptKey(kind, value);
  if (!kept?.has(key)) return undefined;
  const row = kept.get(key) as T | undefined;
  kept.delete(key);
  return { row };
}

function forgetRows(kind?: string): void {
  const scope = scopes.getStore();
  if (!scope) return;
  scope.version += 1;
  const { kept } = scope;
  if (kind === undefined) return kept.clear();
  const prefix = keptKey(kind, '');
  for (const key of kept.keys()) if (key.startsWith(prefix)) kept.delete(key);
}

/**
 * A request that writes rows it cannot tell the kind of (a statement that deletes across
 * models) forgets every row it read ahead.
 */
export function forgetAllRows(): void {
  forgetRows();
}

/**
 * This request's deferred writes of `owner`: made by `create` on first use, or undefined
 * when there are none yet and no `create`. Always undefined outside a request, and when
 * writes are not deferred. With `create` (a write is coming) it throws once the request's
 * final flush has begun: the write would be kept where nothing flushes it any more.
 */
export function deferredWrites<T extends DeferredWrites>(owner: object, create?: () => T): T | undefined {
  const scope = scopes.getStore();
  if (!scope) return undefined;
  if (create && scope.closed) throw new Error('a write after its request\'s final flush: it would never be stored');
  if (!scope.settings.deferWrites) return undefined;
  let writes = scope.writes.get(owner) as T | undefined;
  if (!writes && create) {
    writes = create();
    scope.writes.set(owner, writes);
  }
  return writes;
}

/** Writes now what this request deferred: before a statement that must see it. */
export async function flushDeferredWrites(): Promise<void> {
  const scope = scopes.getStore();
  if (scope) await flushScope(scope);
}

// Errors are data (STYLE.md): a parser returns a stable code and the values a message needs;
// the words live in messages.ts, so these rules stay free of language and I/O.

export type IdentifierError<Code extends string = string> = {
  code: Code;
  params?: Record<string, string | number>;
};

export type IdentifierResult<T, Code extends string = string> =
  | { ok: true; value: T }
  | { ok: false; error: IdentifierError<Code> };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<Code extends string>(
  code: Code,
  params?: Record<string, string | number>,
): { ok: false; error: IdentifierError<Code> } {
  return { ok: false, error: params === undefined ? { code } : { code, params } };
}

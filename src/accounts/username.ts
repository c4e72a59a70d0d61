// Account names chosen at registration: lower-case ASCII so they read the same on every
// keyboard and cannot be confused with a personal number or a tax code.
const USERNAME = /^[a-z][a-z0-9._-]{2,31}$/;

export function normalizeUsername(input: string): string | undefined {
  const value = input.trim().toLowerCase();
  return USERNAME.test(value) ? value : undefined;
}

// The path as a log line writes it. A first-run set-up link (src/setup/) carries its secret in
// its path, not its query: that segment is left out, so the token is only ever in the one line
// that announces the link.
export function loggedPath(path: string): string {
  return path.replace(/^\/+setup\/+[^/]+/i, '/setup/…');
}

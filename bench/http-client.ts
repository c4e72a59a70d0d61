// The load generator's HTTP: node:http over keep-alive sockets, no redirects followed, no
// body parsing. fetch (undici) costs several times the CPU per request, and the load
// generator shares the machine's cores with the server it measures.
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  jar?: CookieJar;
}

/** One browser's cookies: name → value, sent where the cookie's path applies. */
export class CookieJar {
  readonly #cookies = new Map<string, { value: string; path: string }>();

  store(lines: string[] | undefined): void {
    for (const line of lines ?? []) {
      const [pair, ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key, attributeValue = ''] = attribute.trim().split('=');
        const lower = key.toLowerCase();
        if (lower === 'path') path = attributeValue || '/';
        else if (lower === 'max-age' && Number(attributeValue) <= 0) expired = true;
        else if (lower === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      }
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, { value, path });
    }
  }

  header(path: string): string | undefined {
    const pairs: string[] = [];
    for (const [name, cookie] of this.#cookies) {
      if (pathMatches(path, cookie.path)) pairs.push(`${name}=${cookie.value}`);
    }
    return pairs.length ? pairs.join('; ') : undefined;
  }
}

/** Requests to one server (one origin), over as many keep-alive connections as requests in flight. */
export class HttpTarget {
  readonly origin: string;
  readonly #host: string;
  readonly #port: number;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, scheduling: 'lifo' });

  constructor(origin: string) {
    const url = new URL(origin);
    this.origin = url.origin;
    this.#host = url.hostname;
    this.#port = Number(url.port || 80);
  }

  /** `path` is a path with query, or an absolute URL on this origin. */
  request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const target = path.startsWith('/') ? path : pathOf(path, this.origin);
    const headers: Record<string, string> = { ...options.headers };
    const cookie = options.jar?.header(target.split('?')[0]);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const request = http.request({ agent: this.#agent, host: this.#host, port: this.#port, method, path: target, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          options.jar?.store(response.headers['set-cookie']);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text });
        });
        response.on('error', reject);
      });
      request.setTimeout(30_000, () => request.destroy(new Error('request timed out after 30 s')));
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

// RFC 6265 §5.1.4.
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  return requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/');
}

function pathOf(url: string, origin: string): string {
  const parsed = new URL(url, origin);
  if (parsed.origin !== origin) throw new Error(`${url} is not on ${origin}`);
  return `${parsed.pathname}${parsed.search}`;
}

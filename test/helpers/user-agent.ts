// A person's browser, minus the rendering: keeps cookies, follows redirects one at a time,
// reads forms out of the pages it receives and submits them.
export interface Page {
  status: number;
  url: string;
  headers: Headers;
  body: string;
}

export interface Form {
  action: string;
  fields: Record<string, string>;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? decodeEntities(match[1]) : undefined;
}

export class UserAgent {
  readonly cookies = new Map<string, string>();

  #storeCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  #cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = this.#cookieHeader();
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.#storeCookies(response);
    return { status: response.status, url, headers: response.headers, body: await response.text() };
  }

  /** Follows redirects until a page is rendered, or until a URL starting with `stopAt` is reached. */
  async follow(page: Page, stopAt?: string): Promise<Page> {
    let current = page;
    for (let hops = 0; hops < 20 && current.status >= 300 && current.status < 400; hops += 1) {
      const location = new URL(current.headers.get('location')!, current.url).href;
      if (stopAt && location.startsWith(stopAt)) return { ...current, url: location };
      current = await this.request(location);
    }
    return current;
  }

  async get(url: string, stopAt?: string): Promise<Page> {
    return this.follow(await this.request(url), stopAt);
  }

  async submit(page: Page, form: Form, stopAt?: string): Promise<Page> {
    const action = new URL(form.action, page.url).href;
    return this.follow(await this.request(action, { form: form.fields }), stopAt);
  }
}

/** A form on a page (the one with `id`, else the `index`th), with the values of its inputs. */
export function readForm(page: Page, id?: string, index = 0): Form {
  const forms = [...page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const match = id ? forms.find((form) => attribute(form[1], 'id') === id) : forms[index];
  if (!match) throw new Error(`no form${id ? ` #${id}` : ''} on ${page.url} (status ${page.status})`);
  const fields: Record<string, string> = {};
  for (const input of match[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], 'name');
    if (name) fields[name] = attribute(input[0], 'value') ?? '';
  }
  return { action: attribute(match[1], 'action') ?? page.url, fields };
}

/** The password rules a page's checklist marks as not met (views/components.ts passwordChecklist). */
export function rulesNotMet(page: Page): string[] {
  return [...page.body.matchAll(/<li class="checklist__item checklist__item--unmet" data-rule="(\w+)"/g)].map((match) => match[1]!);
}

// What a test of a hostile request checks besides the response: the message a person reads,
// and that nothing was stored. Counts are per client or per account, so tests that run
// side by side in one file do not see each other's rows.
import { escapeHtml } from '../../views/html.ts';
import { t, type MessageKey } from '../../src/i18n/index.ts';
import type { TestServer } from './server.ts';
import { UserAgent, type Page } from './user-agent.ts';

export type OidcModel = 'AuthorizationCode' | 'AccessToken' | 'RefreshToken' | 'Grant' | 'Interaction' | 'Session';

/** Rows of one oidc-provider model: an interaction or token by its client, a session by its account. */
export async function countModels(server: TestServer, model: OidcModel, owner: { clientId: string } | { accountId: string }): Promise<number> {
  const query = server.services.db.knex('oidc_models').where({ model });
  if ('accountId' in owner) query.whereRaw(`payload->>'accountId' = ?`, [owner.accountId]);
  else if (model === 'Interaction') query.whereRaw(`payload->'params'->>'client_id' = ?`, [owner.clientId]);
  else query.whereRaw(`payload->>'clientId' = ?`, [owner.clientId]);
  const [{ count }] = await query.count({ count: '*' });
  return Number(count);
}

/** Audit events of a client whose type starts with `typePrefix` (`signin.` for both outcomes). */
export async function countAuditEvents(server: TestServer, clientId: string, typePrefix: string): Promise<number> {
  const [{ count }] = await server.services.db.knex('audit_events')
    .where({ client_id: clientId })
    .andWhereLike('type', `${typePrefix}%`)
    .count({ count: '*' });
  return Number(count);
}

/** What oidc-provider stored as the outcome of the interaction a page belongs to; undefined while there is none. */
export async function interactionOutcome(server: TestServer, page: Page): Promise<unknown> {
  const uid = new URL(page.url).pathname.split('/')[2];
  const row = await server.services.db.knex('oidc_models').where({ model: 'Interaction', id: uid }).first();
  if (!row) throw new Error(`no interaction ${uid}`);
  return row.payload.result;
}

/** Whether the page shows the Vietnamese message for `key`, as the server escapes it. */
export function showsMessage(page: Page, key: MessageKey): boolean {
  return page.body.includes(escapeHtml(t('vi', key)));
}

/** The sign-in page's error summary, markup included. */
export function errorSummary(page: Page): string | undefined {
  return /<div class="error-summary"[\s\S]*?<\/div>/.exec(page.body)?.[0];
}

export function cookieHeader(agent: UserAgent): string {
  return [...agent.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Another browser holding the same cookies except those whose name starts with `prefix`. */
export function withoutCookies(agent: UserAgent, prefix: string): UserAgent {
  const copy = new UserAgent();
  for (const [name, value] of agent.cookies) if (!name.startsWith(prefix)) copy.cookies.set(name, value);
  return copy;
}

/** client_secret_basic credentials: each part form-encoded first (RFC 6749 §2.3.1). */
export function basicAuthorization(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** A token-endpoint style POST, outside any client library. */
export async function postForm(url: string, fields: Record<string, string>, authorization?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
  const json = response.headers.get('content-type')?.startsWith('application/json');
  return { status: response.status, body: json ? await response.json() : {} };
}

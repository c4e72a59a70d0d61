// Relying-party onboarding from the test's side: an organization signed in at xacthuc, the
// request form posted as a browser posts a form with a file input (multipart/form-data), and
// the values a console page shows once (client_id, secret, registration token).
import { createOrganizationAccount } from '../../src/admin/index.ts';
import type { TestServer } from './server.ts';
import { createTestClient, discover, startAuthorization, signInThroughPages, RP_CALLBACK } from './relying-party.ts';
import { readForm, UserAgent, type Page } from './user-agent.ts';
import { cookieHeader } from './hostile.ts';

/** A 1 × 1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let serial = 0;

/** An organization account signed in at xacthuc in `agent` (through an app of the province, as a person would be). */
export async function signedInOrganization(server: TestServer) {
  serial += 1;
  const taxCodes = ['0100109106', '0101248141', '0900123452', '0100109106-001', '0101248141-002'];
  const taxCode = `${taxCodes[(serial - 1) % taxCodes.length]}`;
  const password = 'Tổ-Chức-Số-Huế-26';
  const phone = `09870${String((process.pid % 100) * 100 + serial).padStart(5, '0')}`;
  const account = await createOrganizationAccount(server.services, { taxCode, orgName: 'Công ty Cổ phần Số Huế', phone, password });
  const portal = await createTestClient(server, { name: 'Cổng dịch vụ công' });
  const agent = new UserAgent();
  const start = await startAuthorization(await discover(server, portal));
  const callback = await signInThroughPages(agent, start, taxCode, password);
  if (!callback.url.startsWith(RP_CALLBACK)) throw new Error(`the organization did not sign in (${callback.status})`);
  return { account, agent, phone: `+84${phone.slice(1)}` };
}

/** What a complete request form holds: a web portal on RP_CALLBACK asking for the profile and the phone. */
export function requestFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Cổng tra cứu hồ sơ Huế',
    description: 'Tra cứu tình trạng hồ sơ hành chính.',
    purpose: 'Nhận diện người tra cứu và báo kết quả qua điện thoại.',
    kind: 'web',
    redirect_uris: RP_CALLBACK,
    post_logout_redirect_uris: 'https://rp.example.vn/bye',
    scope_profile: 'on',
    scope_phone: 'on',
    reason_phone: 'Gửi tin nhắn báo kết quả hồ sơ.',
    scope_offline_access: 'on',
    contacts: 'it@so-hue.example.vn',
    ...overrides,
  };
}

export interface Upload {
  filename: string;
  type: string;
  body: Buffer;
}

/** Posts `fields` (and a file as `logo`) as multipart/form-data with the agent's cookies; follows redirects. */
export async function postMultipart(agent: UserAgent, url: string, fields: Record<string, string>, logo?: Upload): Promise<Page> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (logo) form.append('logo', new Blob([new Uint8Array(logo.body)], { type: logo.type }), logo.filename);
  const response = await fetch(url, { method: 'POST', body: form, headers: { cookie: cookieHeader(agent) }, redirect: 'manual' });
  return agent.follow({ status: response.status, url, headers: response.headers, body: await response.text() });
}

/** Opens the request form at `path` and posts it filled with `fields`, its CSRF token included. */
export async function submitRequest(server: TestServer, agent: UserAgent, path: string, fields: Record<string, string>, logo?: Upload): Promise<Page> {
  const page = await agent.get(`${server.url}${path}`);
  const { fields: hidden } = readForm(page, 'request-form');
  return postMultipart(agent, `${server.url}${path}`, { _csrf: hidden._csrf!, ...fields }, logo);
}

/** The values a page shows in `<code>` (client_id, then the secret or token when there is one). */
export function codesOn(page: Page): string[] {
  return [...page.body.matchAll(/<code(?: class="secret")?>([^<]+)<\/code>/g)].map((match) => match[1]!);
}

// An operator at the console, through the pages as a browser would: the console sends them to
// the provider's sign-in, the password, then the authenticator (enrolled the first time, with its
// recovery codes), back to the console.
import { generate } from 'otplib';
import type { TestServer } from './server.ts';
import { readForm, UserAgent, type Page } from './user-agent.ts';
import { createCitizenAccount } from '../../src/admin/index.ts';
import type { Account } from '../../src/accounts/index.ts';

export interface TestOperator {
  account: Account;
  nationalId: string;
  password: string;
  /** The authenticator's secret, once enrolled at the first sign-in. */
  secret?: string;
}

let serial = 0;

/** An operator account with `roles` (none: a citizen), a valid personal number, no authenticator yet. */
export async function createTestOperator(server: TestServer, roles: string[], options: { agencyId?: string } = {}): Promise<TestOperator> {
  serial += 1;
  const unique = String((process.pid % 1000) * 100 + serial).padStart(5, '0');
  const nationalId = `0461880${unique}`;
  const password = 'Sóng-Biển-Lăng-Cô-8';
  const account = await createCitizenAccount(server.services, {
    nationalId, fullName: 'Lê Thị Quản', birthdate: '1988-08-08', gender: 'female', phone: `09780${unique}`, password, roles: roles as never,
  });
  if (options.agencyId) await server.services.db.knex('accounts').where({ id: account.id }).update({ agency_id: options.agencyId });
  return { account, nationalId, password };
}

/**
 * Signs `operator` in to the console from `agent`, starting at `path`; returns the page the console
 * ends on, or, with `stopAt`, the redirect that reaches it (the console's callback, unanswered).
 * `epochSeconds` is the time the authenticator codes are made for (the server's clock).
 */
export async function signInToConsole(server: TestServer, agent: UserAgent, operator: TestOperator, epochSeconds: number, path = '/admin', stopAt?: string): Promise<Page> {
  const login = await agent.get(`${server.url}${path}`);
  const form = readForm(login);
  const page = await agent.submit(login, { action: form.action, fields: { ...form.fields, identifier: operator.nationalId, password: operator.password } }, stopAt);
  if (!operator.secret) {
    const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1]?.replace(/ /g, '');
    if (!secret) return page;
    operator.secret = secret;
    const enrol = readForm(page);
    const codes = await agent.submit(page, { action: enrol.action, fields: { ...enrol.fields, code: await generate({ secret, epoch: epochSeconds }) } }, stopAt);
    return agent.submit(codes, readForm(codes), stopAt);
  }
  const totp = readForm(page);
  return agent.submit(page, { action: totp.action, fields: { ...totp.fields, code: await generate({ secret: operator.secret, epoch: epochSeconds }) } }, stopAt);
}

// oidc-provider, configured for the province: our storage adapter, keys, accounts, consents
// and pages. The app (app.ts) puts our middleware and routes around it; the operator's client
// registration (admin/register-client.ts) uses its metadata rules.
import { Provider, type ClientMetadata } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Knex } from '../db/index.ts';
import type { AccountStore } from '../accounts/index.ts';
import type { Sealer } from '../secrets/index.ts';
import type { Clock } from '../clock.ts';
import type { KeySet } from './keys.ts';
import type { ClientStore } from './clients.ts';
import { createAdapterClass } from './adapter.ts';
import { ConsentStore } from './consents.ts';
import { providerConfiguration } from './configuration.ts';
import { providerPages, type ResponseMode } from './pages.ts';

export interface ProviderDeps {
  config: Config;
  knex: Knex;
  sealer: Sealer;
  keys: KeySet;
  accounts: AccountStore;
  clients: ClientStore;
  clock: Clock;
  /** Clients given by configuration, never stored: the demo application outside production (src/demo/). */
  staticClients?: ClientMetadata[];
}

/**
 * oidc-provider registers its response modes while it is constructed, and
 * Provider#registerResponseMode keeps the first handler registered for a name: our page for
 * form_post can only be given then, by the provider calling the method on itself.
 */
function providerWithFormPost(formPost: ResponseMode): typeof Provider {
  return class extends Provider {
    override registerResponseMode(name: string, handler: ResponseMode): void {
      super.registerResponseMode(name, name === 'form_post' ? formPost : handler);
    }
  };
}

export function createProvider(deps: ProviderDeps, consents = new ConsentStore(deps.knex, deps.clock)): Provider {
  const pages = providerPages(deps.config, (clientId) => deps.clients.statusOf(clientId));
  const XacthucProvider = providerWithFormPost(pages.formPost);
  const provider = new XacthucProvider(deps.config.issuer, providerConfiguration({
    outboundPrivateHosts: deps.config.outboundPrivateHosts,
    findConsent: (accountId, clientId) => consents.find(accountId, clientId),
    adapter: createAdapterClass(deps.knex, deps.clients, deps.sealer),
    keys: deps.keys,
    accounts: deps.accounts,
    sealer: deps.sealer,
    pages,
    clock: deps.clock,
    staticClients: deps.staticClients,
  }));
  // Behind a TLS-terminating load balancer, trust its X-Forwarded-* so cookies are Secure.
  provider.proxy = deps.config.trustProxy;
  // Only the address the load balancer itself saw (the last X-Forwarded-For entry) counts:
  // entries before it are whatever the client chose to send, and must not steer the
  // per-address limits.
  provider.maxIpsCount = 1;
  acceptPreviousSecret(provider, deps.clients);
  return provider;
}

/**
 * A rotated secret keeps working beside the new one for its overlap window (ClientStore
 * rotateSecret), so a relying party can roll the new one out to all its servers first.
 * oidc-provider knows one `client_secret` per client and has no hook for a second: client
 * authentication (lib/shared/client_auth.js, client_secret_basic and client_secret_post) asks
 * the client `compareClientSecret`, which this extends on this provider's own Client class
 * only. The registered secret is compared first, as before (constant time); only a secret that
 * is not it is compared with the previous one, read afresh, so the overlap ends at the same
 * moment on every node. The secret oidc-provider sees stays the new one: it is also what
 * HMAC-signed objects of the client would use (none are enabled).
 */
function acceptPreviousSecret(provider: Provider, clients: ClientStore): void {
  const prototype = provider.Client.prototype as unknown as { compareClientSecret(this: { clientId: string }, actual: string): boolean | Promise<boolean> };
  const compareRegistered = prototype.compareClientSecret;
  prototype.compareClientSecret = async function compareClientSecret(actual) {
    if (await compareRegistered.call(this, actual)) return true;
    return typeof actual === 'string' && clients.previousSecretMatches(this.clientId, actual);
  };
}

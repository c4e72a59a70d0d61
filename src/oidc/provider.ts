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
  const pages = providerPages(deps.config);
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
  return provider;
}

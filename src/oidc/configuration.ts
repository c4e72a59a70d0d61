// The oidc-provider configuration, read as a document: every choice that differs from
// the library's default says why. Defaults are in oidc-provider lib/helpers/defaults.js.
import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { AccountStore } from '../accounts/index.ts';
import type { Clock } from '../clock.ts';
import type { Sealer } from '../secrets/index.ts';
import type { KeySet } from './keys.ts';
import { CookieSigner } from './cookie-signer.ts';
import { accountClaims, SCOPE_CLAIMS, SCOPES } from './claims.ts';
import type { ProviderPages } from './pages.ts';

/** Assurance levels. loa:1 password; loa:2 password and a second factor; loa:3 VNeID. */
export const ACR = {
  password: 'urn:xacthuc:loa:1',
  secondFactor: 'urn:xacthuc:loa:2',
  vneid: 'urn:xacthuc:loa:3',
} as const;

export const TTL = {
  accessToken: 15 * 60,
  idToken: 60 * 60,
  refreshToken: 30 * 24 * 60 * 60,
  session: 14 * 24 * 60 * 60,
  interaction: 30 * 60,
  grant: 365 * 24 * 60 * 60,
} as const;

/**
 * The longest a client assertion (private_key_jwt) may still be valid when presented, plus
 * oidc-provider's 15 seconds of clock skew. RFC 7523 §3 leaves the limit to the server.
 */
export const CLIENT_ASSERTION_MAX_SECONDS = 5 * 60 + 15;

export interface ConfigurationInput {
  outboundPrivateHosts: string[];
  /** The account's stored consent for a client, when this browser's session has none. */
  findGrantId: (accountId: string, clientId: string) => Promise<string | undefined>;
  adapter: Configuration['adapter'];
  keys: KeySet;
  accounts: AccountStore;
  sealer: Sealer;
  pages: ProviderPages;
  clock: Clock;
}

export function providerConfiguration({ outboundPrivateHosts, findGrantId, adapter, keys, accounts, sealer, pages, clock }: ConfigurationInput): Configuration {
  const privateHosts = new Set(outboundPrivateHosts);
  return {
    adapter,
    jwks: keys.jwks as Configuration['jwks'],
    cookies: {
      // Persistent keys shared by every node, so a flow begun on one finishes on another.
      keys: new CookieSigner(keys.cookieKeys),
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    async findAccount(ctx, sub) {
      const account = await accounts.findById(sub);
      if (!account || account.status !== 'active') return undefined;
      return {
        accountId: account.id,
        async claims(use) {
          const claims = accountClaims(account, sub) as { sub: string; at_hash?: string };
          // OpenID Connect Core §3.1.3.6: at_hash binds the ID token to the access token
          // issued with it. oidc-provider adds it only at the authorization endpoint; here it
          // is given the (opaque) access token value and hashes it with the signing alg.
          const accessToken = ctx.oidc.entities.AccessToken;
          if (use === 'id_token' && ctx.oidc.route === 'token' && accessToken?.format === 'opaque') claims.at_hash = accessToken.jti;
          return claims;
        },
      };
    },
    // Consent belongs to the person, not to the browser: oidc-provider's default finds a
    // Grant only through the session, which would ask again on every new device.
    async loadExistingGrant(ctx) {
      const { client, session, result } = ctx.oidc;
      if (!client) return undefined;
      const grantId = result?.consent?.grantId ?? session?.grantIdFor(client.clientId) ?? (session?.accountId ? await findGrantId(session.accountId, client.clientId) : undefined);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    claims: { ...SCOPE_CLAIMS, sid: null } as unknown as Configuration['claims'],
    scopes: SCOPES,
    acrValues: Object.values(ACR),
    // Code flow only: implicit and hybrid responses leak tokens (RFC 9700 §2.1.2).
    responseTypes: ['code'],
    // PKCE for every client, confidential ones too (RFC 9700 §2.1.1).
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    // oidc-provider accepts any expiry: an assertion captured in transit, or valid for a year,
    // would authenticate the client until then (issue 10 item 14).
    async assertJwtClientAuthClaimsAndHeader(_ctx, claims) {
      const now = Math.floor(clock.now().getTime() / 1000);
      if (typeof claims.exp !== 'number' || claims.exp - now > CLIENT_ASSERTION_MAX_SECONDS) {
        throw new errors.InvalidClientAuth('client_assertion must expire within 5 minutes');
      }
    },
    // Relying parties choose public or pairwise subjects (SPEC §2); pairwise values are a
    // keyed hash so they cannot be linked across sectors without SECRET_KEY.
    subjectTypes: ['public', 'pairwise'],
    async pairwiseIdentifier(_ctx, accountId, client) {
      return sealer.lookup(`${client.sectorIdentifier}:${accountId}`, 'oidc.pairwise');
    },
    // Rotating refresh tokens for every client: a stolen one is detected on reuse.
    rotateRefreshToken: true,
    ttl: {
      AccessToken: TTL.accessToken,
      AuthorizationCode: 60,
      ClientCredentials: 10 * 60,
      IdToken: TTL.idToken,
      Interaction: TTL.interaction,
      RefreshToken: TTL.refreshToken,
      Session: TTL.session,
      // Consent outlives refresh tokens: a person is not asked again for what they granted.
      Grant: TTL.grant,
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      clientCredentials: { enabled: true },
      // A client learns about its own tokens only: no relying party can probe another's
      // (RFC 7662 §4). Resource servers get their own policy when they are introduced.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      backchannelLogout: { enabled: true },
      // No resource servers are registered: access tokens are opaque, checked by introspection.
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: pages.logout,
        postLogoutSuccessSource: pages.loggedOut,
      },
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      requestObjectSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    },
    discovery: {
      ui_locales_supported: ['vi', 'en'],
      claims_locales_supported: ['vi', 'en'],
    },
    renderError: pages.error,
    // Back-channel logout and jwks_uri fetches keep oidc-provider's protection against
    // private addresses, except for the internal hosts the operator listed. No redirect is
    // followed (issue 10 item 9): from a listed host it could lead to any other address.
    // oidc-provider already gives up on an answer after 2.5 seconds.
    fetch(url, options) {
      const target = new URL(url instanceof Request ? url.url : url);
      if (privateHosts.has(target.hostname)) delete (options as { dispatcher?: unknown }).dispatcher;
      return globalThis.fetch(url, { ...options, redirect: 'error' });
    },
    // A key set or a list of redirect URIs is a few kilobytes; the default reads any size.
    fetchResponseBodyLimits: { jwks_uri: 64 * 1024, sector_identifier_uri: 64 * 1024 },
    // SPAs and mobile webviews call the token endpoint cross-origin: allow the origins of
    // the client's own redirect URIs, nothing else.
    clientBasedCORS(_ctx: KoaContextWithOIDC, origin: string, client) {
      if (origin === 'null') return false;
      return client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin) ?? false;
    },
  };
}

// The oidc-provider configuration, read as a document: every choice that differs from
// the library's default says why. Defaults are in oidc-provider lib/helpers/defaults.js.
import { randomBytes } from 'node:crypto';
import { errors, interactionPolicy, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { AccountStore } from '../accounts/index.ts';
import type { Clock } from '../clock.ts';
import type { Sealer } from '../secrets/index.ts';
import type { KeySet } from './keys.ts';
import { CookieSigner } from './cookie-signer.ts';
import { accountClaims, ADMIN_SCOPES, claimsBeyondScopes, SCOPE_CLAIMS, SCOPES } from './claims.ts';
import type { ProviderPages } from './pages.ts';
import type { Consent } from './consents.ts';
import { applyConsent } from './consent-choice.ts';
import { EXTRA_CLIENT_METADATA, FIRST_PARTY_CLIENTS } from './clients.ts';
import { applyProvinceRules, REGISTRATION_POLICY } from './registration-policy.ts';
import { redirectSectors, statementProblem } from './client-metadata.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The province's client metadata as stored (client-metadata.ts checked it at registration):
 * a row edited by hand, or by a later console, cannot put unchecked text on a consent page.
 */
function checkExtraClientMetadata(key: string, value: unknown, metadata: Record<string, unknown>): void {
  if (value === undefined) return;
  if (key === 'agency_id') {
    if (typeof value !== 'string' || !UUID.test(value)) throw new errors.InvalidClientMetadata('agency_id must be an agency\'s id');
    return;
  }
  if (key === 'public_subject_reason' && metadata.subject_type !== 'public') throw new errors.InvalidClientMetadata('public_subject_reason applies only to a public subject type');
  const why = typeof value !== 'string' ? 'must be a string' : value !== value.normalize('NFC').trim() ? 'must be trimmed and in NFC' : statementProblem(value);
  if (why !== undefined) throw new errors.InvalidClientMetadata(`${key} ${why}`);
}

/**
 * The sector a pairwise `sub` is computed for (OpenID Connect Core §8.1): the host of the
 * sector_identifier_uri, else of the redirect URIs (one, client-metadata.ts checkSubject). A
 * native app's own scheme is its sector: oidc-provider would take its empty host, one sector
 * shared by every such app.
 */
function sectorOf(client: { sectorIdentifierUri?: string; sectorIdentifier?: string; redirectUris?: readonly string[] }): string {
  if (client.sectorIdentifierUri) return client.sectorIdentifier!;
  return redirectSectors(client.redirectUris ?? [])[0] ?? client.sectorIdentifier ?? '';
}

/** Assurance levels. loa:1 password; loa:2 password and a second factor; loa:3 VNeID. */
export const ACR = {
  password: 'urn:xacthuc:loa:1',
  secondFactor: 'urn:xacthuc:loa:2',
  vneid: 'urn:xacthuc:loa:3',
} as const;

/** Assurance levels from lowest to highest. */
const LEVELS: readonly string[] = [ACR.password, ACR.secondFactor, ACR.vneid];
/** The levels a sign-in here can reach: VNeID is not offered yet. */
const REACHABLE = [ACR.password, ACR.secondFactor];

/**
 * The level a sign-in must reach for the `requested` acr values: the lowest of them it can
 * reach, since any one satisfies the app (OpenID Connect Core §3.1.2.1), or undefined when
 * it can reach none (the app is then answered with the level reached, for it to check).
 */
export function levelToReach(requested: readonly string[]): string | undefined {
  return REACHABLE.find((level) => requested.includes(level));
}

/**
 * oidc-provider's prompts, with a step-up: `acr_values` above the level the session was
 * signed in at ask for a sign-in again (its login prompt only checks essential acr claims).
 * Not right after a sign-in of this request, which reached what it could.
 */
function promptsWithStepUp() {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(new interactionPolicy.Check('acr_values_step_up', 'the requested authentication level is above the session’s', (ctx) => {
    const { oidc } = ctx;
    const requested = oidc.params?.acr_values;
    if (!oidc.session?.accountId || oidc.result?.login || typeof requested !== 'string') return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    const wanted = levelToReach(requested.split(' '));
    if (!wanted || LEVELS.indexOf(oidc.acr ?? '') >= LEVELS.indexOf(wanted)) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    return interactionPolicy.Check.REQUEST_PROMPT;
  }));
  return policy;
}

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
const CLIENT_ASSERTION_MAX_SECONDS = 5 * 60 + 15;

export interface ConfigurationInput {
  outboundPrivateHosts: string[];
  /** The account's consent for a client (consents.ts), when this browser's session has no Grant for it. */
  findConsent: (accountId: string, clientId: string) => Promise<Consent | undefined>;
  adapter: Configuration['adapter'];
  keys: KeySet;
  accounts: AccountStore;
  sealer: Sealer;
  pages: ProviderPages;
  clock: Clock;
  /** Clients of the configuration rather than the `clients` table: the demo application, outside production. */
  staticClients?: ClientMetadata[];
}

export function providerConfiguration({ outboundPrivateHosts, findConsent, adapter, keys, accounts, sealer, pages, clock, staticClients = [] }: ConfigurationInput): Configuration {
  const privateHosts = new Set(outboundPrivateHosts);
  return {
    adapter,
    // Looked up before the adapter; never stored (src/demo/client.ts).
    clients: staticClients,
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
    // Grant only through the session, which would ask again on every new device. A Grant is
    // this session's family of tokens; when it has none (a new browser, or its Grant was
    // revoked with its tokens) one is made from the person's consent.
    async loadExistingGrant(ctx) {
      const { client, session, result, provider } = ctx.oidc;
      if (!client) return undefined;
      const grantId = result?.consent?.grantId ?? session?.grantIdFor(client.clientId);
      const grant = grantId ? await provider.Grant.find(grantId) : undefined;
      if (grant) return grant;
      const accountId = session?.accountId;
      // xacthuc's own pages (the operator console) ask nobody's consent for xacthuc itself.
      if (accountId && FIRST_PARTY_CLIENTS.has(client.clientId)) {
        const own = new provider.Grant({ accountId, clientId: client.clientId });
        own.addOIDCScope(String(ctx.oidc.params?.scope ?? 'openid'));
        await own.save();
        return own;
      }
      const consent = accountId ? await findConsent(accountId, client.clientId) : undefined;
      if (!consent) return undefined;
      const rebuilt = new provider.Grant({ accountId, clientId: client.clientId });
      // What the person refused is not asked again at each sign-in (the consent page offers it
      // again when the app asks for anything new, or with prompt=consent).
      applyConsent(rebuilt, consent);
      await rebuilt.save();
      return rebuilt;
    },
    claims: { ...SCOPE_CLAIMS, sid: null } as unknown as Configuration['claims'],
    scopes: [...SCOPES, ...ADMIN_SCOPES],
    acrValues: Object.values(ACR),
    // Code flow only: implicit and hybrid responses leak tokens (RFC 9700 §2.1.2).
    responseTypes: ['code'],
    // PKCE for every client, confidential ones too (RFC 9700 §2.1.1).
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    // oidc-provider accepts any expiry: an assertion captured in transit, or valid for a year,
    // would authenticate the client until then (RFC 7523 §3 lets a server refuse one).
    async assertJwtClientAuthClaimsAndHeader(_ctx, claims) {
      const now = Math.floor(clock.now().getTime() / 1000);
      if (typeof claims.exp !== 'number' || claims.exp - now > CLIENT_ASSERTION_MAX_SECONDS) {
        throw new errors.InvalidClientAuth('client_assertion must expire within 5 minutes');
      }
    },
    // Relying parties get pairwise subjects unless an operator registered a reason for a public
    // one (client-metadata.ts checkSubject); clients registered before keep what they had.
    // Pairwise values are a keyed hash, so they cannot be linked across sectors without SECRET_KEY.
    subjectTypes: ['public', 'pairwise'],
    async pairwiseIdentifier(_ctx, accountId, client) {
      return sealer.lookup(`${sectorOf(client)}:${accountId}`, 'oidc.pairwise');
    },
    extraClientMetadata: {
      properties: [...EXTRA_CLIENT_METADATA],
      validator(_ctx, key, value, metadata) {
        checkExtraClientMetadata(key, value, metadata as Record<string, unknown>);
      },
    },
    // Rotating refresh tokens for every client: a stolen one is detected on reuse.
    rotateRefreshToken: true,
    // As Keycloak does: every client allowed the grant gets a refresh token. Without
    // offline_access (or without prompt=consent, which oidc-provider requires for it) the
    // token is bound to the browser session and ends with it and at logout; with both it is
    // an offline token, which outlives the session (oidc-provider's default expiresWithSession).
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    ttl: {
      AccessToken: TTL.accessToken,
      AuthorizationCode: 60,
      ClientCredentials: 10 * 60,
      IdToken: TTL.idToken,
      Interaction: TTL.interaction,
      // A session-bound token lives no longer than an idle session; every use also checks
      // that its session is still there (oidc-provider checkSessionBinding).
      RefreshToken: (_ctx, token) => (token.expiresWithSession ? TTL.session : TTL.refreshToken),
      Session: TTL.session,
      // A Grant outlives its session's refresh tokens, offline ones included; the consent it
      // is built from is kept apart (consents.ts) and has no expiry.
      Grant: TTL.grant,
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: promptsWithStepUp(),
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: {
        enabled: true,
        // A claim of a scope the client is not allowed is refused, asked for by name or not:
        // oidc-provider checks the scope parameter against the client, not the claims one.
        async assertClaimsParameter(_ctx, claims, client) {
          const beyond = claimsBeyondScopes(claims, client.scope);
          if (beyond.length) throw new errors.InvalidRequest(`claims not allowed for this client: ${beyond.join(' ')}`);
        },
      },
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
      // RFC 7591, only with an initial access token an operator issued in the console (Hue-S
      // Art. 15.2: an integration is proposed, then reviewed): the client it registers is
      // pending (clients.ts handedToProvider) until a reviewer approves it. Every token names
      // the province's rules as its policy, so they run before the library's own checks.
      registration: {
        enabled: true,
        initialAccessToken: true,
        policies: { [REGISTRATION_POLICY]: (_ctx, metadata) => applyProvinceRules(metadata) },
        idFactory: () => `xt_${randomBytes(12).toString('base64url')}`,
      },
      // RFC 7592: the registrant reads its registration, and changes or withdraws it while it is
      // under review (adapter.ts); each change gives a new registration access token (the default).
      registrationManagement: { enabled: true },
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
    // followed: from a listed host it could lead to any other address.
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

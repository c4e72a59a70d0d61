// `/demo` and `/demo/callback`: a relying party built in (development only), so a newcomer sees a
// whole sign-in within a minute of `npm start` — the sign-in page, the consent page, and what an
// app receives. It is an ordinary openid-client relying party: authorization code with PKCE,
// state and nonce, the code exchanged at the provider's own token endpoint over HTTP (ISSUER is
// localhost in development), userinfo, and RP-initiated logout back to /demo.
import Router from '@koa/router';
import type { Context } from 'koa';
import * as oidc from 'openid-client';
import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { DEMO_PATH, type Csrf, formErrors, readForm, showError } from '../http/index.ts';
import { hasMessage, t, type Locale } from '../i18n/index.ts';
import { demoPage, demoResultPage, localeOf, noticePage, pageShell, vietnamTime, type ShownClaim } from '../../views/index.ts';
import { DEMO_CLIENT_ID, DEMO_CLIENT_NAME, DEMO_SCOPE } from './client.ts';
import { DemoFlowCookie } from './flow-cookie.ts';

export interface DemoDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  csrf: Csrf;
}

/** Times in seconds since 1970 (OpenID Connect Core §2, §5.1): written as a person reads them. */
const TIMES = new Set(['exp', 'iat', 'auth_time', 'updated_at']);

function shownValue(name: string, value: unknown): string {
  if (TIMES.has(name) && typeof value === 'number') return vietnamTime(new Date(value * 1000));
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function shownClaims(locale: Locale, claims: Record<string, unknown>): ShownClaim[] {
  return Object.entries(claims).map(([name, value]) => {
    const key = `demo.claim.${name}`;
    return { name, value: shownValue(name, value), ...(hasMessage(key) ? { meaning: t(locale, key) } : {}) };
  });
}

export function demoRoutes(deps: DemoDeps): Router {
  const { config, logger, clock, csrf } = deps;
  const router = new Router({ prefix: DEMO_PATH });
  const flows = new DemoFlowCookie();
  const callback = `${config.issuer}${DEMO_PATH}/callback`;
  const afterLogout = `${config.issuer}${DEMO_PATH}`;
  router.use(formErrors(config));

  // Discovered once, from the provider's own discovery document, as any relying party would.
  let discovered: Promise<oidc.Configuration> | undefined;
  function provider(): Promise<oidc.Configuration> {
    discovered ??= oidc.discovery(new URL(config.issuer), DEMO_CLIENT_ID, { id_token_signed_response_alg: 'RS256' }, oidc.None(), {
      execute: new URL(config.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
    }).catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  }

  /** The pages at the end of a trial say the language it began in; their switch leads to the start. */
  function endShell(ctx: Context, titleKey: 'demo.result_title' | 'demo.title', locale: Locale) {
    return { ...pageShell(ctx, config, titleKey, locale), langSwitch: { vi: `${DEMO_PATH}?lang=vi`, en: `${DEMO_PATH}?lang=en` } };
  }

  router.get('/', (ctx) => {
    const shell = pageShell(ctx, config, 'demo.title');
    ctx.type = 'html';
    ctx.body = demoPage(shell, {
      csrfToken: csrf.issue(ctx, 'demo'),
      action: `${DEMO_PATH}${shell.locale === 'en' ? '?lang=en' : ''}`,
      clientName: DEMO_CLIENT_NAME,
      // oidc-provider hands back the `state` the sign-out was asked with (OpenID Connect RP-Initiated Logout §3).
      signedOut: ctx.query.state === 'signed-out',
    });
  });

  router.post('/', async (ctx) => {
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, 'demo', form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const locale = localeOf(ctx);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(await provider(), {
      redirect_uri: callback,
      scope: DEMO_SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ui_locales: locale,
    });
    flows.set(ctx, { state, nonce, verifier, locale }, clock.now());
    ctx.status = 303;
    ctx.redirect(url.href);
  });

  router.get('/callback', async (ctx) => {
    const flow = flows.take(ctx, clock.now());
    if (flow === undefined) return showError(ctx, config, 400, 'demo.failed');
    if (ctx.query.error === 'access_denied') {
      const shell = endShell(ctx, 'demo.title', flow.locale);
      ctx.type = 'html';
      ctx.body = noticePage(shell, { title: t(shell.locale, 'demo.title'), message: t(shell.locale, 'demo.declined'), link: { href: DEMO_PATH, label: t(shell.locale, 'demo.try_again') } });
      return;
    }
    const rp = await provider();
    let idToken: Record<string, unknown>;
    let userinfo: Record<string, unknown>;
    try {
      // The address the provider redirected to, on ISSUER as registered, with the answer's parameters.
      const answer = new URL(`${callback}?${ctx.querystring}`);
      const tokens = await oidc.authorizationCodeGrant(rp, answer, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      idToken = { ...claims };
      userinfo = { ...(await oidc.fetchUserInfo(rp, tokens.access_token, claims.sub)) };
    } catch (error) {
      // openid-client's own words for what failed (a state or nonce that does not match, a
      // code already used); they name no token or code.
      logger.warn({ requestId: ctx.state.requestId, error: (error as Error).message, code: (error as { code?: string }).code }, 'demo sign-in not completed');
      return showError(ctx, config, 400, 'demo.failed');
    }
    const shell = endShell(ctx, 'demo.result_title', flow.locale);
    const signOut = oidc.buildEndSessionUrl(rp, { client_id: DEMO_CLIENT_ID, post_logout_redirect_uri: afterLogout, state: 'signed-out', ui_locales: flow.locale });
    ctx.type = 'html';
    ctx.body = demoResultPage(shell, {
      idToken: shownClaims(shell.locale, idToken),
      userinfo: shownClaims(shell.locale, userinfo),
      signOut: { action: `${signOut.origin}${signOut.pathname}`, fields: Object.fromEntries(signOut.searchParams) },
      tryAgainHref: DEMO_PATH,
    });
  });

  return router;
}

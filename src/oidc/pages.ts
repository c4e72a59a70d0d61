// The pages oidc-provider renders itself (errors, logout confirmation, logged out, the
// form_post response), drawn with our views so they look and speak like the rest of xacthuc.
import type { Context, Middleware } from 'koa';
import type { Configuration, KoaContextWithOIDC, UnknownObject } from 'oidc-provider';
import type { Config } from '../config.ts';
import { autoSubmitPage, localeOf, pageShell, errorPage, loggedOutPage, logoutPage } from '../../views/index.ts';
import { hasMessage, t, type MessageKey } from '../i18n/index.ts';
import type { ClientStatus } from './clients.ts';

type Features = NonNullable<Configuration['features']>;
type RpLogout = NonNullable<Features['rpInitiatedLogout']>;

/** A response mode's handler, as Provider#registerResponseMode takes it. */
export type ResponseMode = (ctx: KoaContextWithOIDC, redirectUri: string, payload: UnknownObject) => void;

export interface ProviderPages {
  error: NonNullable<Configuration['renderError']>;
  logout: NonNullable<RpLogout['logoutSource']>;
  loggedOut: NonNullable<RpLogout['postLogoutSuccessSource']>;
  formPost: ResponseMode;
}

// The answers drawn here, so that libraryLogoutForms tells them from oidc-provider's own.
const drawnHere = new WeakSet<Context>();

// In the language the app asked for (ui_locales), as the sign-in page would have been.
function uiLocales(ctx: Context): unknown {
  return (ctx as Context & { oidc?: { params?: { ui_locales?: unknown } } }).oidc?.params?.ui_locales ?? ctx.query.ui_locales;
}

/** A client's status by its id (clients.ts ClientStore statusOf). */
export type ClientStatusOf = (clientId: string) => Promise<ClientStatus | undefined>;

/**
 * An app that is registered but may not sign anyone in (under review, or disabled by the
 * operator) is named as such: "not registered" would send the person to the wrong help desk.
 */
async function refusedClientMessage(ctx: Context, error: string, statusOf: ClientStatusOf | undefined): Promise<MessageKey | undefined> {
  const clientId = (ctx as Context & { oidc?: { params?: { client_id?: unknown } } }).oidc?.params?.client_id ?? ctx.query.client_id;
  if (error !== 'invalid_client' || statusOf === undefined || typeof clientId !== 'string') return undefined;
  // The page is drawn even when the database cannot say (the plain message then).
  const status = await statusOf(clientId).catch(() => undefined);
  if (status === 'disabled') return 'oauth.client_disabled';
  if (status === 'pending') return 'oauth.client_pending';
  return undefined;
}

export function providerPages(config: Pick<Config, 'province'>, statusOf?: ClientStatusOf): ProviderPages {
  return {
    async error(ctx, out) {
      const shell = pageShell(ctx, config, 'error.title', localeOf(ctx, uiLocales(ctx)));
      const refused = await refusedClientMessage(ctx, out.error, statusOf);
      ctx.type = 'html';
      // The person reads a localized explanation; the integrator quoting the code to the
      // help desk gets oidc-provider's precise (English) description with it.
      const key = `oauth.${out.error}`;
      ctx.body = errorPage(shell, {
        title: t(shell.locale, 'error.title'),
        message: t(shell.locale, refused ?? (hasMessage(key) ? key : 'oauth.invalid_request')),
        code: out.error_description ? `${out.error}: ${out.error_description}` : out.error,
      });
      drawnHere.add(ctx);
    },
    async logout(ctx: KoaContextWithOIDC, form: string) {
      const shell = pageShell(ctx, config, 'logout.title', localeOf(ctx, uiLocales(ctx)));
      ctx.type = 'html';
      ctx.body = logoutPage(shell, { formHtml: form, clientName: ctx.oidc.client?.clientName });
      drawnHere.add(ctx);
    },
    async loggedOut(ctx: KoaContextWithOIDC) {
      const shell = pageShell(ctx, config, 'logged_out.title');
      ctx.type = 'html';
      ctx.body = loggedOutPage(shell, { clientName: ctx.oidc.client?.clientName });
      drawnHere.add(ctx);
    },
    // OAuth 2.0 Form Post Response Mode §2: the response is posted to the redirect URI by
    // the browser. As oidc-provider's own (lib/response_modes/form_post.js): 400 for an error.
    formPost(ctx, redirectUri, payload) {
      if (![200, 400, 500].includes(ctx.status)) ctx.status = 'error' in payload ? 400 : 200;
      const shell = pageShell(ctx, config, 'form_post.title', localeOf(ctx, uiLocales(ctx)));
      const client = ctx.oidc.client?.clientName;
      ctx.type = 'html';
      ctx.body = autoSubmitPage(shell, {
        heading: client === undefined ? t(shell.locale, 'form_post.heading') : t(shell.locale, 'form_post.heading_client', { client }),
        action: redirectUri,
        fields: Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, String(value)])),
      });
      drawnHere.add(ctx);
    },
  };
}

/**
 * oidc-provider answers two requests with its own auto-submitting page (English, an inline
 * script, "Submitting Callback") and has no hook for it: a logout asked for when the session
 * has no account any more (lib/actions/end_session.js: after a back-channel logout, or once
 * the session expired), and a sign-in that finds another person signed in on this browser
 * (lib/actions/authorization/resume.js). Both post the session's logout secret with
 * `logout=yes` to end_session_confirm; this draws that same form as our page.
 */
export function libraryLogoutForms(config: Pick<Config, 'province'>): Middleware {
  return async (ctx, next) => {
    const policy = ctx.response.get('Content-Security-Policy');
    await next();
    const { oidc } = ctx as Partial<KoaContextWithOIDC>;
    if (oidc?.route !== 'end_session' && oidc?.route !== 'resume') return;
    if (ctx.status !== 200 || !ctx.response.is('html') || drawnHere.has(ctx)) return;
    const secret = (oidc.session?.state as { secret?: unknown } | undefined)?.secret;
    if (typeof secret !== 'string') return;

    const switching = oidc.route === 'resume';
    const shell = pageShell(ctx, config, switching ? 'switch_account.title' : 'logout.title', localeOf(ctx, uiLocales(ctx)));
    // oidc-provider added its inline script's hash to the policy; our page has no inline script.
    if (policy) ctx.set('Content-Security-Policy', policy);
    ctx.body = autoSubmitPage(shell, {
      heading: t(shell.locale, switching ? 'switch_account.heading' : 'logout_finish.heading'),
      explanation: t(shell.locale, switching ? 'switch_account.explanation' : 'logout_finish.explanation'),
      action: oidc.urlFor('end_session_confirm'),
      fields: { xsrf: secret, logout: 'yes' },
    });
  };
}

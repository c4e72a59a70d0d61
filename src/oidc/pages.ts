// The pages oidc-provider renders itself (errors, logout confirmation, logged out),
// drawn with our views so they look and speak like the rest of xacthuc.
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config.ts';
import { localeOf, pageShell, errorPage, loggedOutPage, logoutPage } from '../../views/index.ts';
import { hasMessage, t } from '../i18n/index.ts';

type Features = NonNullable<Configuration['features']>;
type RpLogout = NonNullable<Features['rpInitiatedLogout']>;

export interface ProviderPages {
  error: NonNullable<Configuration['renderError']>;
  logout: NonNullable<RpLogout['logoutSource']>;
  loggedOut: NonNullable<RpLogout['postLogoutSuccessSource']>;
}

export function providerPages(config: Pick<Config, 'province'>): ProviderPages {
  return {
    async error(ctx, out) {
      // In the language the app asked for (ui_locales), as the sign-in page would have been.
      const uiLocales = (ctx.oidc as { params?: { ui_locales?: unknown } } | undefined)?.params?.ui_locales ?? ctx.query.ui_locales;
      const shell = pageShell(ctx, config, 'error.title', localeOf(ctx, uiLocales));
      ctx.type = 'html';
      // The person reads a localized explanation; the integrator quoting the code to the
      // help desk gets oidc-provider's precise (English) description with it.
      const key = `oauth.${out.error}`;
      ctx.body = errorPage(shell, {
        title: t(shell.locale, 'error.title'),
        message: t(shell.locale, hasMessage(key) ? key : 'oauth.invalid_request'),
        code: out.error_description ? `${out.error}: ${out.error_description}` : out.error,
      });
    },
    async logout(ctx: KoaContextWithOIDC, form: string) {
      const shell = pageShell(ctx, config, 'logout.title');
      ctx.type = 'html';
      ctx.body = logoutPage(shell, { formHtml: form, clientName: ctx.oidc.client?.clientName });
    },
    async loggedOut(ctx: KoaContextWithOIDC) {
      const shell = pageShell(ctx, config, 'logged_out.title');
      ctx.type = 'html';
      ctx.body = loggedOutPage(shell, { clientName: ctx.oidc.client?.clientName });
    },
  };
}

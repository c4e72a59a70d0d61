// What every interaction page does the same way: handing the result back to oidc-provider,
// naming the app, where a flow's pages live, and the shell and answer of a flow's page.
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import { t, type Locale, type MessageKey } from '../i18n/index.ts';
import { localeOf, pageShell } from '../../views/index.ts';
import { clientNameIn } from '../oidc/index.ts';

export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * Hands a result back to oidc-provider. A consent keeps the sign-in submitted before it in
 * the same interaction (merge), or a request with prompt=login would ask for it again.
 */
export async function finish(ctx: Context, provider: Provider, result: Parameters<Provider['interactionResult']>[2], merge = false): Promise<void> {
  // What Provider#interactionResult does, on the interaction this request already loaded
  // and checked (interactionDetails): it would read the interaction and its session again.
  const interaction = ctx.state.interaction as Interaction | undefined;
  let location: string;
  if (interaction) {
    interaction.result = merge && !('error' in result) ? { ...interaction.lastSubmission, ...result } : result;
    await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
    location = interaction.returnTo;
  } else {
    location = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
  }
  ctx.redirect(location);
  ctx.status = 303;
}

/** The app a sign-in or consent page names: its registered name and logo, else its id. */
export async function clientShown(provider: Provider, interaction: Interaction, locale: Locale): Promise<{ name: string; logoUri?: string }> {
  const clientId = String(interaction.params.client_id);
  const client = await provider.Client.find(clientId);
  return { name: clientNameIn(locale, clientId, client?.clientName) ?? clientId, logoUri: client?.logoUri };
}

/** Where a flow that can run inside an interaction or on its own keeps its pages. */
export function flowBase(ctx: Context): string {
  const interaction = ctx.state.interaction as Interaction | undefined;
  return interaction ? `/interaction/${interaction.uid}` : '';
}

/**
 * The way on once a flow has made an account usable (registration, a new password): back to
 * the app's sign-in when an app sent the person; on its own, how a sign-in starts (from one of
 * the province's apps: there is no sign-in here without one) and the way home, never a dead end.
 */
export function wayToSignIn(ctx: Context, locale: Locale): { next?: string; link: { href: string; label: string } } {
  const base = flowBase(ctx);
  if (base) return { link: { href: base, label: t(locale, 'login.submit') } };
  return { next: t(locale, 'home.how_to'), link: { href: '/', label: t(locale, 'nav.home') } };
}

/** The shell of a flow's page, in the languages its interaction asked for, if it is in one. */
export function flowShell(ctx: Context, config: Config, title: MessageKey) {
  const interaction = ctx.state.interaction as Interaction | undefined;
  return pageShell(ctx, config, title, localeOf(ctx, interaction?.params.ui_locales));
}

/** Answers with an HTML page. */
export function answerPage(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = body;
}

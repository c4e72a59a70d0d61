import { html } from './html.ts';
import { t } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';
import { pageActionsScript } from './page-actions.ts';

export interface AutoSubmitProps {
  /** Already in the page's language. */
  heading: string;
  explanation?: string;
  action: string;
  /** Posted as hidden fields: the authorization response, or a logout's anti-forgery token. */
  fields: Readonly<Record<string, string>>;
}

/**
 * A form the browser sends on by itself (OAuth 2.0 Form Post Response Mode §2, and the steps
 * of a logout that need a POST). The script only spares the tap: without JavaScript the person
 * reads why the page is there and presses the button.
 */
export function autoSubmitPage(shell: PageShell, props: AutoSubmitProps): string {
  const { locale } = shell;
  const hidden = Object.entries(props.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${props.heading}</h1>
${props.explanation === undefined ? '' : html`<p>${props.explanation}</p>`}
<p>${t(locale, 'auto_submit.hint')}</p>
<form method="post" action="${props.action}" data-auto-submit>
${hidden}
<button type="submit" class="button button--primary">${t(locale, 'auto_submit.continue')}</button>
</form>
</section>
${pageActionsScript}`,
  );
}

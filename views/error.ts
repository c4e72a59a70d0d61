import { html } from './html.ts';
import { t } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';
import { HOME_PATH, pageActionsScript } from './page-actions.ts';

export interface ErrorProps {
  /** Already translated, or the raw OIDC error text. */
  title: string;
  message: string;
  /** Shown small, so a person can quote it to the help desk. */
  code?: string;
  /**
   * Where "back" leads without JavaScript: the start of the flow the error happened in. With
   * JavaScript the link goes back in the browser's history (to the app, to the form); without
   * either it is not shown, and the way home remains.
   */
  backHref?: string;
}

// SPEC §6: a message says what happened and what to do next, and every page has a way on.
export function errorPage(shell: PageShell, props: ErrorProps): string {
  const { locale } = shell;
  const code = props.code === undefined
    ? ''
    : html`<p class="error-code">${t(locale, 'error.code_hint')}<br>${t(locale, 'error.code_label')} <code>${props.code}</code></p>`;
  const back = props.backHref === undefined
    ? html`<a class="button button--primary" href="${HOME_PATH}" data-back hidden>${t(locale, 'nav.back')}</a>`
    : html`<a class="button button--primary" href="${props.backHref}" data-back>${t(locale, 'nav.back')}</a>`;

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${props.title}</h1>
<p>${props.message}</p>
<p>${t(locale, 'error.next_step')}</p>
<div class="actions">
${back}
<a class="button button--secondary" href="${HOME_PATH}">${t(locale, 'nav.home')}</a>
</div>
${code}
</section>
${pageActionsScript}`,
  );
}

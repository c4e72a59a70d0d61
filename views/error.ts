import { html } from './html.ts';
import { t } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';

export interface ErrorProps {
  /** Already translated, or the raw OIDC error text. */
  title: string;
  message: string;
  /** Shown so a person can quote it to the help desk. */
  code?: string;
}

export function errorPage(shell: PageShell, props: ErrorProps): string {
  const code = props.code === undefined
    ? ''
    : html`<p class="error-code">${t(shell.locale, 'error.code_label')} <code>${props.code}</code></p>`;

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${props.title}</h1>
<p>${props.message}</p>
${code}
</section>`,
  );
}

// The first-run set-up page (src/setup/): the first super-administrator, made in a browser
// through the single-use link the server printed, with the fields and rules of `admin:create`.
import type { FieldDefinition, FieldError } from '../src/accounts/registration/index.ts';
import { html } from './html.ts';
import { t, type MessageKey } from '../src/i18n/index.ts';
import { csrfField } from './components.ts';
import { layout, type PageShell } from './layout.ts';
import { fieldErrorSummary, fieldsets } from './register.ts';

export interface SetupProps {
  csrfToken: string;
  action: string;
  fields: readonly FieldDefinition[];
  /** What was typed, shown again; passwords never. */
  values: Readonly<Record<string, string>>;
  errors: Readonly<Record<string, FieldError>>;
  /** A problem of the whole form, such as a personal number already registered. */
  formError?: MessageKey;
  /** When the link stops working, already written for the page's language. */
  expiresAt: string;
  passwordMinLength: number;
}

export function setupPage(shell: PageShell, props: SetupProps): string {
  const { locale } = shell;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'setup.heading')}</h1>
<p>${t(locale, 'setup.intro')}</p>
<p class="notice">${t(locale, 'setup.link_note', { time: props.expiresAt })}</p>
${fieldErrorSummary(locale, props.fields, props.errors, props.formError, 'setup.errors_intro')}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
${fieldsets(locale, props.fields, { values: props.values, errors: props.errors, passwordMinLength: props.passwordMinLength })}
<p class="note">${t(locale, 'setup.totp_note')}</p>
<div class="actions">
<button type="submit" class="button button--primary">${t(locale, 'setup.submit')}</button>
</div>
</form>
</section>`,
  );
}

export interface SetupDoneProps {
  fullName: string;
  adminHref: string;
}

export function setupDonePage(shell: PageShell, props: SetupDoneProps): string {
  const { locale } = shell;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'setup.done_title')}</h1>
<p>${t(locale, 'setup.done', { name: props.fullName })}</p>
<p>${t(locale, 'setup.done_next')}</p>
<div class="actions">
<a class="button button--primary" href="${props.adminHref}">${t(locale, 'setup.go_admin')}</a>
</div>
</section>`,
  );
}

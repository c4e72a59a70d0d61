// The operator console's frame (SPEC R10, §6): the site's layout, wide enough for tables on a
// desk and one column on a phone, with the sections the operator's roles open, who is signed
// in and a sign-out button. Pages of the console put their content inside `consoleLayout`.
import { html, type SafeHtml } from './html.ts';
import { t, type Locale, type MessageKey } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';
import { csrfField } from './components.ts';

export interface ConsoleNavItem {
  href: string;
  label: MessageKey;
  /** What the section is for, on the overview. */
  about?: MessageKey;
}

export interface ConsoleFrame {
  operatorName: string;
  /** The sections this operator may open, in order. */
  nav: readonly ConsoleNavItem[];
  /** The section shown, by its href. */
  current: string;
  /** For the sign-out form. */
  csrfToken: string;
}

function consoleNav(locale: Locale, frame: ConsoleFrame): SafeHtml {
  const items = frame.nav.map((item) => {
    const current = item.href === frame.current ? html` aria-current="page"` : html``;
    return html`<li><a href="${item.href}"${current}>${t(locale, item.label)}</a></li>`;
  });
  return html`<div class="console-bar">
<nav class="console-nav" aria-label="${t(locale, 'console.nav_label')}"><ul>${items}</ul></nav>
<form method="post" action="/admin/logout" class="console-signout">
${csrfField(frame.csrfToken)}
<span>${t(locale, 'console.signed_in_as', { name: frame.operatorName })}</span>
<button type="submit" class="button button--secondary">${t(locale, 'console.sign_out')}</button>
</form>
</div>`;
}

export function consoleLayout(shell: PageShell, frame: ConsoleFrame, body: SafeHtml): string {
  return layout({ ...shell, wide: true }, html`${consoleNav(shell.locale, frame)}
${body}`);
}

export interface ConsoleHomeProps {
  roles: readonly MessageKey[];
}

/** `/admin`: who you are here and what you may do. */
export function consoleHomePage(shell: PageShell, frame: ConsoleFrame, props: ConsoleHomeProps): string {
  const { locale } = shell;
  const areas = frame.nav.filter((item) => item.about !== undefined);
  const list = areas.length
    ? html`<p>${t(locale, 'console.home_intro')}</p>
<ul class="console-areas">${areas.map((item) => html`<li><a href="${item.href}">${t(locale, item.label)}</a><p>${t(locale, item.about!)}</p></li>`)}</ul>`
    : html`<p>${t(locale, 'console.home_nothing')}</p>`;
  return consoleLayout(
    shell,
    frame,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'console.home_heading', { name: frame.operatorName })}</h1>
<h2>${t(locale, 'console.your_roles')}</h2>
<ul>${props.roles.map((role) => html`<li>${t(locale, role)}</li>`)}</ul>
${list}
</section>`,
  );
}

export interface ReauthProps {
  minutes: number;
  /** Where the confirmation starts: a new sign-in that returns to the page asked for. */
  href: string;
}

/** A dangerous action asked for too long after the operator last proved who they are. */
export function consoleReauthPage(shell: PageShell, frame: ConsoleFrame, props: ReauthProps): string {
  const { locale } = shell;
  return consoleLayout(
    shell,
    frame,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'console.reauth_heading')}</h1>
<p>${t(locale, 'console.reauth', { minutes: props.minutes })}</p>
<p><a class="button button--primary" href="${props.href}">${t(locale, 'console.reauth_button')}</a></p>
</section>`,
  );
}

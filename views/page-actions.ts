// What pages share for the way on: the home page's address, and the one script, which only
// enhances what the markup already does (SPEC §6: every page works without JavaScript).
import { html } from './html.ts';

export const HOME_PATH = '/';

/**
 * assets/page-actions.js: sends a `form[data-auto-submit]` at once and makes an
 * `a[data-back]` go back in the browser's history. Served from our own origin: the Content
 * Security Policy allows no inline script.
 */
export const pageActionsScript = html`<script src="/assets/page-actions.js" defer></script>`;

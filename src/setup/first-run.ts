// At start, while no account holds an operator role: a single-use set-up link through which
// the first super-administrator is made in a browser (as Keycloak's first admin on localhost),
// `admin:create` being the other way. Each start without an administrator makes a link of its
// own: several nodes started together each print one, any of them makes the one administrator.
import type { AccountStore } from '../accounts/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { t } from '../i18n/index.ts';
import { vietnamTime } from '../../views/index.ts';
import type { SetupTokens } from './tokens.ts';

export interface SetupLink {
  /** The link itself: a secret until used or expired, printed once and written nowhere else. */
  url: string;
  expiresAt: Date;
}

export interface FirstRunDeps {
  issuer: string;
  accounts: AccountStore;
  audit: AuditLog;
  setupTokens: SetupTokens;
}

/** A new set-up link when no operator exists yet; undefined once one does. */
export async function firstRunLink({ issuer, accounts, audit, setupTokens }: FirstRunDeps): Promise<SetupLink | undefined> {
  if (await accounts.hasOperator()) return undefined;
  const { token, expiresAt } = await setupTokens.issue();
  await audit.record({ type: 'setup.link_issued', details: { expiresAt: expiresAt.toISOString() } });
  return { url: `${issuer}/setup/${token}`, expiresAt };
}

/** The link as a development server prints it on its terminal, in both languages. */
export function setupBanner(link: SetupLink): string {
  const rule = '─'.repeat(72);
  const time = vietnamTime(link.expiresAt);
  return [
    '',
    rule,
    `  ${t('vi', 'setup.banner_heading')}`,
    `  ${t('en', 'setup.banner_heading')}`,
    '',
    `    ${link.url}`,
    '',
    `  ${t('vi', 'setup.banner_expiry', { time })}`,
    `  ${t('en', 'setup.banner_expiry', { time })}`,
    rule,
    '',
    '',
  ].join('\n');
}

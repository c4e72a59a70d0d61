// What authentication level the app asked for: acr_values, or an acr claim it made
// essential (OpenID Connect Core §5.5.1.1, §3.1.2.1), read once for the login page and
// for the step-up decision.
import { ACR, levelToReach } from '../../oidc/index.ts';
import type { Interaction } from '../respond.ts';

/** The acr values of an essential acr claim, as oidc-provider's login prompt details them. */
export function essentialAcr(interaction: Interaction): string[] | undefined {
  const acr = (interaction.prompt.details as { acr?: { values?: string[]; value?: string } }).acr;
  return acr?.values ?? (acr?.value ? [acr.value] : undefined);
}

/** An essential acr that no sign-in here reaches: the app is told at once, not signed in. */
export function asksUnreachableAcr(interaction: Interaction): boolean {
  const wanted = essentialAcr(interaction);
  return wanted !== undefined && !wanted.includes(ACR.password) && !wanted.includes(ACR.secondFactor);
}

/** Whether the app asked for more than a password (acr_values, or an essential acr claim). */
export function wantsSecondFactor(interaction: Interaction): boolean {
  const requested = typeof interaction.params.acr_values === 'string' ? interaction.params.acr_values.split(' ') : [];
  // The same rule as the login prompt's step-up check (oidc/configuration.ts).
  return levelToReach([...requested, ...(essentialAcr(interaction) ?? [])]) === ACR.secondFactor;
}

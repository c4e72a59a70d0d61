// What the consent page offers and what a posted answer grants (Decree 13/2023 Art. 11; Law
// 91/2025): every datum but who the person is may be refused one by one, and only what the
// page offered can be granted, whatever the form carries. Pure, but for applyConsent, which
// sets an oidc-provider Grant to a consent.
import type { Provider } from 'oidc-provider';
import { PROTOCOL_CLAIMS } from './claims.ts';
import type { Consent, ConsentItems } from './consents.ts';

/**
 * Who the person is, for this app (`sub`, OpenID Connect Core §3.1.2.1): without it there is
 * no sign-in to answer. Every other scope may be refused, `profile` too: the app then knows
 * the person by `sub` alone.
 */
export const REQUIRED_SCOPES: readonly string[] = ['openid'];

/** What the page asks for: each item with whether its box starts ticked. */
export interface ConsentOffer {
  scopes: Array<{ name: string; required: boolean; checked: boolean }>;
  /** Claims asked for one by one (the claims parameter), beyond the protocol's. */
  claims: Array<{ name: string; checked: boolean }>;
  /** Protocol claims asked for by name (`sub`, `acr` …): about the sign-in, granted with it. */
  protocolClaims: string[];
}

const once = (values: readonly string[]) => [...new Set(values)];

/**
 * What the page offers: what the request asks that the person has not decided yet (`missing`,
 * from oidc-provider's consent prompt), ticked, and what it asks that the person refused
 * before, unticked: the person may change their mind whenever they are asked anyway.
 */
export function consentOffer(missing: ConsentItems, requested: ConsentItems, earlier: Consent | undefined): ConsentOffer {
  const refusedScopes = requested.scopes.filter((scope) => earlier?.refused.scopes.includes(scope) && !missing.scopes.includes(scope));
  const refusedClaims = requested.claims.filter((claim) => earlier?.refused.claims.includes(claim) && !missing.claims.includes(claim) && !PROTOCOL_CLAIMS.includes(claim));
  return {
    scopes: [
      ...once(missing.scopes).map((name) => ({ name, required: REQUIRED_SCOPES.includes(name), checked: true })),
      ...once(refusedScopes).map((name) => ({ name, required: false, checked: false })),
    ],
    claims: [
      ...once(missing.claims.filter((claim) => !PROTOCOL_CLAIMS.includes(claim))).map((name) => ({ name, checked: true })),
      ...once(refusedClaims).map((name) => ({ name, checked: false })),
    ],
    protocolClaims: once(missing.claims.filter((claim) => PROTOCOL_CLAIMS.includes(claim))),
  };
}

/**
 * The decision a posted consent form makes of `offer`: a ticked box grants its item, an
 * unticked one refuses it, a required scope is granted. Only the offered items are looked up
 * in the form: anything else it names (a scope the app did not ask for, a forged field)
 * counts for nothing.
 */
export function consentDecision(offer: ConsentOffer, ticked: (kind: 'scope' | 'claim', name: string) => boolean): { granted: ConsentItems; refused: ConsentItems } {
  const scopes = offer.scopes.filter((scope) => scope.required || ticked('scope', scope.name)).map((scope) => scope.name);
  const claims = offer.claims.filter((claim) => ticked('claim', claim.name)).map((claim) => claim.name);
  return {
    granted: { scopes, claims: [...offer.protocolClaims, ...claims] },
    refused: {
      scopes: offer.scopes.map((scope) => scope.name).filter((name) => !scopes.includes(name)),
      claims: offer.claims.map((claim) => claim.name).filter((name) => !claims.includes(name)),
    },
  };
}

type Grant = InstanceType<Provider['Grant']>;

/**
 * Sets `grant` to the consent in force: what it grants, and what it refuses (oidc-provider then
 * neither releases nor asks again for it). A Grant never holds more than the consent it came
 * from, so this only widens it, or turns a refusal into a grant.
 */
export function applyConsent(grant: Grant, consent: Consent): void {
  grant.openid = undefined;
  grant.rejected = undefined;
  if (consent.scopes.length) grant.addOIDCScope(consent.scopes.join(' '));
  if (consent.claims.length) grant.addOIDCClaims(consent.claims);
  if (consent.refused.scopes.length) grant.rejectOIDCScope(consent.refused.scopes.join(' '));
  if (consent.refused.claims.length) grant.rejectOIDCClaims(consent.refused.claims);
}

import test from 'ava';
import { ACR } from '../../src/oidc/configuration.ts';
import type { Interaction } from '../../src/interactions/respond.ts';
import { asksUnreachableAcr, wantsSecondFactor } from '../../src/interactions/sign-in/requested-acr.ts';

// What oidc-provider details at a login prompt: the request's parameters, and an essential
// acr claim (OpenID Connect Core §5.5.1.1) as `values` or `value`.
function interaction(params: { acr_values?: string }, acr?: { values?: string[]; value?: string }): Interaction {
  return { params, prompt: { name: 'login', reasons: [], details: acr ? { acr } : {} } } as unknown as Interaction;
}

const table: [request: string, at: Interaction, secondFactor: boolean, unreachable: boolean][] = [
  ['nothing asked', interaction({}), false, false],
  ['acr_values for a password', interaction({ acr_values: ACR.password }), false, false],
  ['acr_values for a second factor', interaction({ acr_values: ACR.secondFactor }), true, false],
  ['acr_values listing a password first, then a second factor', interaction({ acr_values: `${ACR.password} ${ACR.secondFactor}` }), false, false],
  ['acr_values for VNeID only, not offered here', interaction({ acr_values: ACR.vneid }), false, false],
  ['an essential acr claim for a second factor (values)', interaction({}, { values: [ACR.secondFactor] }), true, false],
  ['an essential acr claim for a second factor (value)', interaction({}, { value: ACR.secondFactor }), true, false],
  ['an essential acr claim for a password', interaction({}, { value: ACR.password }), false, false],
  ['an essential acr claim for VNeID only', interaction({}, { values: [ACR.vneid] }), false, true],
  ['an essential acr claim for an unknown level', interaction({}, { value: 'urn:example:loa:9' }), false, true],
  ['an essential acr claim allowing VNeID or a second factor', interaction({}, { values: [ACR.vneid, ACR.secondFactor] }), true, false],
];

for (const [request, at, secondFactor, unreachable] of table) {
  test(`${request}: ${secondFactor ? 'a second factor is asked' : 'a password is enough'}${unreachable ? ', and the app is told it cannot be reached' : ''}`, (t) => {
    t.is(wantsSecondFactor(at), secondFactor);
    t.is(asksUnreachableAcr(at), unreachable);
  });
}

import test from 'ava';
import { consentDecision, consentOffer } from '../../src/oidc/consent-choice.ts';
import type { Consent } from '../../src/oidc/consents.ts';

const none = { scopes: [], claims: [] };
const ticking = (...fields: string[]) => (kind: 'scope' | 'claim', name: string) => fields.includes(`${kind}:${name}`);

test('a first request offers every scope ticked, openid fixed, and claims asked by name apart from the protocol\'s', (t) => {
  const offer = consentOffer({ scopes: ['openid', 'profile', 'phone'], claims: ['sub', 'acr', 'birthdate'] }, { scopes: ['openid', 'profile', 'phone'], claims: ['sub', 'acr', 'birthdate'] }, undefined);
  t.deepEqual(offer, {
    scopes: [
      { name: 'openid', required: true, checked: true },
      { name: 'profile', required: false, checked: true },
      { name: 'phone', required: false, checked: true },
    ],
    claims: [{ name: 'birthdate', checked: true }],
    protocolClaims: ['sub', 'acr'],
  });
});

test('what the person refused before is offered again, unticked, when the request asks for it', (t) => {
  const earlier: Consent = { scopes: ['openid'], claims: [], refused: { scopes: ['phone', 'email'], claims: ['name'] } };
  const offer = consentOffer({ scopes: ['address'], claims: [] }, { scopes: ['openid', 'phone', 'address'], claims: ['name'] }, earlier);
  t.deepEqual(offer.scopes, [{ name: 'address', required: false, checked: true }, { name: 'phone', required: false, checked: false }]);
  t.deepEqual(offer.claims, [{ name: 'name', checked: false }], 'email was refused but is not asked now');
});

const offer = consentOffer({ scopes: ['openid', 'profile', 'phone'], claims: ['sub', 'birthdate'] }, { scopes: ['openid', 'profile', 'phone'], claims: ['sub', 'birthdate'] }, undefined);

const decisions: Array<[string, string[], { granted: { scopes: string[]; claims: string[] }; refused: { scopes: string[]; claims: string[] } }]> = [
  ['every box ticked grants everything offered', ['scope:profile', 'scope:phone', 'claim:birthdate'], { granted: { scopes: ['openid', 'profile', 'phone'], claims: ['sub', 'birthdate'] }, refused: none }],
  ['no box ticked grants who the person is only', [], { granted: { scopes: ['openid'], claims: ['sub'] }, refused: { scopes: ['profile', 'phone'], claims: ['birthdate'] } }],
  ['a field for openid changes nothing: it is required', ['scope:phone'], { granted: { scopes: ['openid', 'phone'], claims: ['sub'] }, refused: { scopes: ['profile'], claims: ['birthdate'] } }],
  ['a scope or claim not offered is not granted, nor recorded as refused', ['scope:national_id', 'claim:tax_code', 'scope:profile'], { granted: { scopes: ['openid', 'profile'], claims: ['sub'] }, refused: { scopes: ['phone'], claims: ['birthdate'] } }],
];

for (const [label, fields, expected] of decisions) {
  test(label, (t) => {
    t.deepEqual(consentDecision(offer, ticking(...fields)), expected);
  });
}

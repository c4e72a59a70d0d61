import test from 'ava';
import { ACR, levelToReach } from '../../src/oidc/configuration.ts';

// OpenID Connect Core §3.1.2.1: acr_values are in order of preference, any one satisfies.
const requests: [what: string, acrValues: string[], level: string | undefined][] = [
  ['nothing asked', [], undefined],
  ['a password', [ACR.password], ACR.password],
  ['a second factor', [ACR.secondFactor], ACR.secondFactor],
  ['a second factor or a password: the password is enough', [ACR.secondFactor, ACR.password], ACR.password],
  ['VNeID or a second factor: the second factor, VNeID not being offered', [ACR.vneid, ACR.secondFactor], ACR.secondFactor],
  ['VNeID alone: nothing a sign-in here reaches', [ACR.vneid], undefined],
  ['a value of another provider', ['urn:example:gold'], undefined],
];

for (const [what, acrValues, level] of requests) {
  test(`the level to reach for ${what}`, (t) => {
    t.is(levelToReach(acrValues), level);
  });
}

import test from 'ava';
import { checkClientMetadata, type ClientMetadataField } from '../../src/oidc/client-metadata.ts';
import type { NewClient } from '../../src/oidc/clients.ts';
import { claimsBeyondScopes } from '../../src/oidc/claims.ts';

const portal: NewClient = {
  name: 'Cổng dịch vụ công Huế',
  redirectUris: ['https://dichvucong.hue.gov.vn/cb'],
  postLogoutRedirectUris: ['https://dichvucong.hue.gov.vn/bye'],
  grantTypes: [],
  authMethod: 'client_secret_basic',
  purpose: 'Nộp hồ sơ và theo dõi thủ tục hành chính trực tuyến',
};

function refusal(changes: Partial<NewClient>): { field: ClientMetadataField; error: string; detail: string } | undefined {
  const result = checkClientMetadata({ ...portal, ...changes });
  return result.ok ? undefined : result.problem;
}

const accepted: Array<[string, Partial<NewClient>]> = [
  ['an https redirect URI with a port, path and query', { redirectUris: ['https://hues.vn:8443/oauth/cb?from=sso'] }],
  ['plain http on localhost (a developer testing)', { redirectUris: ['http://localhost:8080/cb'] }],
  ['plain http on 127.0.0.1 (RFC 8252 §7.3)', { redirectUris: ['http://127.0.0.1:51004/cb'] }],
  ['plain http on [::1] (RFC 8252 §7.3)', { redirectUris: ['http://[::1]/cb'] }],
  ['a native app\'s reversed-domain scheme (RFC 8252 §7.1)', { applicationType: 'native', redirectUris: ['vn.gov.hue.hues:/oauth2redirect'] }],
  ['a native app\'s claimed https URI (RFC 8252 §7.2)', { applicationType: 'native', redirectUris: ['https://hues.vn/app/cb'] }],
  ['a native app\'s reversed-domain scheme after logout', { applicationType: 'native', redirectUris: ['vn.gov.hue.hues:/cb'], postLogoutRedirectUris: ['vn.gov.hue.hues:/bye'] }],
  ['an https back-channel logout URI', { backchannelLogoutUri: 'https://hues.vn/backchannel' }],
  ['a loopback jwks_uri', { authMethod: 'private_key_jwt', jwksUri: 'http://127.0.0.1:4000/jwks' }],
  ['no post-logout redirect URI', { postLogoutRedirectUris: [] }],
  ['a public subject with its reason', { subjectType: 'public', publicSubjectReason: 'Cổng của tỉnh đối chiếu hồ sơ một cửa' }],
  ['pairwise redirect URIs on several hosts with a sector identifier URI', { redirectUris: ['https://a.hue.gov.vn/cb', 'https://b.hue.gov.vn/cb'], sectorIdentifierUri: 'https://a.hue.gov.vn/sector.json' }],
  ['a client-credentials client with no purpose and no subject', { grantTypes: ['client_credentials'], redirectUris: [], postLogoutRedirectUris: [], purpose: undefined }],
];

for (const [label, changes] of accepted) {
  test(`accepts ${label}`, (t) => {
    t.is(refusal(changes), undefined);
  });
}

const refused: Array<[string, Partial<NewClient>, ClientMetadataField]> = [
  ['plain http on a public host for a web client', { redirectUris: ['http://evil.example/cb'] }, 'redirect_uris'],
  ['plain http on a public host for a native app', { applicationType: 'native', redirectUris: ['http://evil.example/cb'] }, 'redirect_uris'],
  ['plain http on a host that only starts like localhost', { redirectUris: ['http://localhost.evil.example/cb'] }, 'redirect_uris'],
  ['a wildcard host', { redirectUris: ['https://*.example.com/cb'] }, 'redirect_uris'],
  ['a wildcard in the path', { redirectUris: ['https://hues.vn/*'] }, 'redirect_uris'],
  ['a user name and password', { redirectUris: ['https://user:pw@hues.vn/cb'] }, 'redirect_uris'],
  ['a user name alone', { redirectUris: ['https://user@hues.vn/cb'] }, 'redirect_uris'],
  ['a fragment', { redirectUris: ['https://hues.vn/cb#top'] }, 'redirect_uris'],
  ['an empty fragment', { redirectUris: ['https://hues.vn/cb#'] }, 'redirect_uris'],
  ['a relative URI', { redirectUris: ['/cb'] }, 'redirect_uris'],
  ['a javascript: URI', { applicationType: 'native', redirectUris: ['javascript:alert(1)'] }, 'redirect_uris'],
  ['a data: URI', { applicationType: 'native', redirectUris: ['data:text/html,hi'] }, 'redirect_uris'],
  ['a custom scheme for a web client', { redirectUris: ['vn.gov.hue.hues:/oauth2redirect'] }, 'redirect_uris'],
  ['a custom scheme that is not a reversed domain', { applicationType: 'native', redirectUris: ['hues:/oauth2redirect'] }, 'redirect_uris'],
  ['a new line the URL parser would drop', { redirectUris: ['https://hues.vn/c\nb'] }, 'redirect_uris'],
  ['a space', { redirectUris: ['https://hues.vn/c b'] }, 'redirect_uris'],
  ['a URI of 2,001 characters', { redirectUris: [`https://hues.vn/${'a'.repeat(1985)}`] }, 'redirect_uris'],
  ['the second of two URIs when only it is wrong', { redirectUris: ['https://hues.vn/cb', 'http://evil.example/cb'] }, 'redirect_uris'],
  ['a post-logout redirect URI on plain http', { postLogoutRedirectUris: ['http://evil.example/bye'] }, 'post_logout_redirect_uris'],
  ['a post-logout redirect URI with a wildcard', { postLogoutRedirectUris: ['https://*.hues.vn/bye'] }, 'post_logout_redirect_uris'],
  ['a back-channel logout URI on plain http', { backchannelLogoutUri: 'http://hues.vn/backchannel' }, 'backchannel_logout_uri'],
  ['a back-channel logout URI with a fragment', { backchannelLogoutUri: 'https://hues.vn/backchannel#x' }, 'backchannel_logout_uri'],
  ['a jwks_uri on plain http', { authMethod: 'private_key_jwt', jwksUri: 'http://hues.vn/jwks' }, 'jwks_uri'],
  ['a jwks_uri with a password', { authMethod: 'private_key_jwt', jwksUri: 'https://a:b@hues.vn/jwks' }, 'jwks_uri'],
  ['a jwks_uri on a custom scheme, even for a native app', { applicationType: 'native', authMethod: 'private_key_jwt', jwksUri: 'vn.gov.hue.hues:/jwks' }, 'jwks_uri'],
  ['a control character in the name', { name: 'Hue-S\u0007' }, 'client_name'],
  ['a new line in the name', { name: 'Hue-S\nĐăng nhập lại' }, 'client_name'],
  ['a right-to-left override in the name', { name: 'Hue-S \u202Egnp.exe' }, 'client_name'],
  ['a zero-width space in the name', { name: 'Hue\u200B-S' }, 'client_name'],
  ['an empty name', { name: '   ' }, 'client_name'],
  ['a name of punctuation only', { name: '---' }, 'client_name'],
  ['a name of 101 characters', { name: 'Ứ'.repeat(101) }, 'client_name'],
  ['an unknown scope', { scope: 'openid profile everything' }, 'scope'],
  ['offline_access without the refresh_token grant', { grantTypes: ['authorization_code'], scope: 'openid offline_access' }, 'scope'],
  ['no purpose for an app that signs people in', { purpose: undefined }, 'purpose'],
  ['a purpose of 501 characters', { purpose: 'ư'.repeat(501) }, 'purpose'],
  ['a purpose with a right-to-left override', { purpose: 'Đặt lịch \u202Ekhám' }, 'purpose'],
  ['a purpose of blanks', { purpose: '   ' }, 'purpose'],
  ['an empty agency name', { agency: ' ' }, 'agency'],
  ['a public subject without its reason', { subjectType: 'public' }, 'public_subject_reason'],
  ['a reason for a pairwise subject', { publicSubjectReason: 'Vì cần' }, 'public_subject_reason'],
  ['pairwise redirect URIs on several hosts', { redirectUris: ['https://a.hue.gov.vn/cb', 'https://b.hue.gov.vn/cb'] }, 'redirect_uris'],
  ['a subject type for a client that signs no one in', { grantTypes: ['client_credentials'], subjectType: 'public', publicSubjectReason: 'Vì cần' }, 'subject_type'],
  ['a sector identifier URI on plain http', { sectorIdentifierUri: 'http://hues.vn/sector.json' }, 'sector_identifier_uri'],
];

for (const [label, changes, field] of refused) {
  test(`refuses ${label}, naming ${field}`, (t) => {
    const problem = refusal(changes);
    t.is(problem?.field, field);
    t.is(problem?.error, field === 'redirect_uris' ? 'invalid_redirect_uri' : 'invalid_client_metadata');
    t.false(/[\p{Cc}\u202E]/u.test(problem!.detail), 'the detail escapes what it quotes');
  });
}

test('the name is stored in NFC, so Vietnamese diacritics typed either way are one name', (t) => {
  const result = checkClientMetadata({ ...portal, name: ' Công dân số Ninh Thuận '.normalize('NFD') });
  t.true(result.ok);
  if (result.ok) t.is(result.value.name, 'Công dân số Ninh Thuận'.normalize('NFC'));
});

test('without --scope a client may ask for openid and profile, and offline_access only with refresh tokens', (t) => {
  const withRefresh = checkClientMetadata(portal);
  const withoutRefresh = checkClientMetadata({ ...portal, grantTypes: ['authorization_code'] });
  t.true(withRefresh.ok && withoutRefresh.ok);
  if (withRefresh.ok) {
    t.deepEqual(withRefresh.value.grantTypes, ['authorization_code', 'refresh_token']);
    t.is(withRefresh.value.scope, 'openid profile offline_access');
  }
  if (withoutRefresh.ok) t.is(withoutRefresh.value.scope, 'openid profile');
  for (const sensitive of ['national_id', 'phone', 'email', 'address']) {
    t.false(withRefresh.ok && withRefresh.value.scope.split(' ').includes(sensitive), sensitive);
  }
});

test('sensitive scopes are allowed when named, once each, in a stable order', (t) => {
  const result = checkClientMetadata({ ...portal, scope: 'national_id openid  phone openid' });
  t.true(result.ok);
  if (result.ok) t.is(result.value.scope, 'openid phone national_id');
});

test('a new client is pairwise by default; its purpose is stored in NFC', (t) => {
  const result = checkClientMetadata({ ...portal, purpose: ' Nộp hồ sơ trực tuyến '.normalize('NFD') });
  t.true(result.ok);
  if (result.ok) {
    t.is(result.value.subjectType, 'pairwise');
    t.is(result.value.purpose, 'Nộp hồ sơ trực tuyến'.normalize('NFC'));
  }
});

test('the detail quotes the refused value, so the operator sees which URI is wrong', (t) => {
  const problem = refusal({ redirectUris: ['https://hues.vn/cb', 'http://evil.example/cb'] });
  t.regex(problem!.detail, /^"http:\/\/evil\.example\/cb" plain http is allowed only for loopback hosts/);
  t.regex(refusal({ name: 'Hue-S\u0007' })!.detail, /\\u\{7\}.*U\+0007/);
});

test('the claims parameter is held to the allowed scopes: a claim of another scope is named, protocol and unknown claims are not', (t) => {
  const claims = { userinfo: { name: null, national_id: null, x_custom: null }, id_token: { tax_code: { essential: true }, acr: null, phone_number: null } };
  t.deepEqual(claimsBeyondScopes(claims, 'openid profile').sort(), ['national_id', 'phone_number', 'tax_code']);
  t.deepEqual(claimsBeyondScopes(claims, 'openid profile phone national_id'), ['tax_code'], 'the tax code is the organization scope\'s');
  t.deepEqual(claimsBeyondScopes(claims, 'openid profile phone national_id organization'), []);
  t.deepEqual(claimsBeyondScopes(claims, undefined), [], 'a client registered before allowed scopes existed is not limited');
});

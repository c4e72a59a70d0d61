// The pure rules of onboarding: a logo is judged by its bytes; a request form becomes the
// client it would register, or says what is wrong with it; a client's status decides what
// oidc-provider is given, route by route.
import test from 'ava';
import { checkLogo, MAX_LOGO_BYTES, newClientOf, readRequestForm } from '../../../src/onboarding/index.ts';
import { handedToProvider } from '../../../src/oidc/clients.ts';
import { PNG, requestFields } from '../../helpers/onboarding.ts';

test('a logo is a PNG, JPEG or WebP by its bytes, at most 100 KiB, named by its content', (t) => {
  const png = checkLogo(PNG);
  t.true(png.ok);
  if (png.ok) t.regex(png.logo.name, /^[0-9a-f]{32}\.png$/);
  t.like(checkLogo(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(10)])), { ok: true, logo: { contentType: 'image/jpeg' } });
  t.like(checkLogo(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])), { ok: true, logo: { contentType: 'image/webp' } });
  t.deepEqual(checkLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')), { ok: false, problem: 'onboarding.error.logo_type' });
  t.deepEqual(checkLogo(Buffer.from('GIF89a')), { ok: false, problem: 'onboarding.error.logo_type' });
  t.deepEqual(checkLogo(Buffer.from('RIFF')), { ok: false, problem: 'onboarding.error.logo_type' }, 'a truncated WebP header');
  t.deepEqual(checkLogo(Buffer.alloc(0)), { ok: false, problem: 'onboarding.error.logo_empty' });
  t.deepEqual(checkLogo(Buffer.concat([PNG, Buffer.alloc(MAX_LOGO_BYTES)])), { ok: false, problem: 'onboarding.error.logo_too_large' });
});

test('each kind of app becomes the client it should: a website with a secret or its keys, a public phone app, a service of client credentials', (t) => {
  const web = readRequestForm(requestFields());
  t.true(web.ok);
  if (!web.ok) return;
  t.like(newClientOf(web.fields), { authMethod: 'client_secret_basic', applicationType: 'web', grantTypes: ['authorization_code', 'refresh_token'], scope: 'openid offline_access profile phone' });
  t.deepEqual(web.fields.reasons, { phone: 'Gửi tin nhắn báo kết quả hồ sơ.' });
  const keys = readRequestForm(requestFields({ jwks_uri: 'https://rp.example.vn/jwks' }));
  t.like(keys.ok ? newClientOf(keys.fields) : {}, { authMethod: 'private_key_jwt', jwksUri: 'https://rp.example.vn/jwks' });
  const phone = readRequestForm(requestFields({ kind: 'native', redirect_uris: 'vn.gov.hue.hues:/oauth2redirect' }));
  t.like(phone.ok ? newClientOf(phone.fields) : {}, { authMethod: 'none', applicationType: 'native' });
  const service = readRequestForm(requestFields({ kind: 'service', redirect_uris: '', post_logout_redirect_uris: '', scope_offline_access: '' }));
  t.like(service.ok ? newClientOf(service.fields) : {}, { grantTypes: ['client_credentials'], redirectUris: [] });
});

test('a request form says every field at fault at once', (t) => {
  const read = readRequestForm(requestFields({ description: '', purpose: 'x'.repeat(501), contacts: '', scope_address: 'on', kind: 'service' }));
  t.false(read.ok);
  if (read.ok) return;
  t.deepEqual(Object.keys(read.errors).sort(), ['contacts', 'description', 'purpose', 'reason_address', 'redirect_uris'].sort());
});

test('oidc-provider is given an active client everywhere, a pending one for its registrant’s RFC 7592 calls, a disabled one only to hear its tokens are inactive', (t) => {
  for (const route of ['authorization', 'token', 'userinfo', 'introspection', 'client', undefined]) t.true(handedToProvider('active', route), `active: ${route}`);
  for (const route of ['authorization', 'token', 'resume', 'end_session', undefined]) {
    t.false(handedToProvider('pending', route), `pending: ${route}`);
    t.false(handedToProvider('disabled', route), `disabled: ${route}`);
  }
  for (const route of ['client', 'client_update', 'client_delete']) {
    t.true(handedToProvider('pending', route), `pending: ${route}`);
    t.false(handedToProvider('disabled', route), `disabled: ${route}`);
  }
  for (const route of ['introspection', 'revocation']) t.true(handedToProvider('disabled', route), `disabled: ${route}`);
});

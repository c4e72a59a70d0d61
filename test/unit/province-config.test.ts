// The province's identity settings (README "Settings"): what a deployment may say about itself
// on every page, and the values refused at start-up with one line naming the variable.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xacthuc-province-'));
  await writeFile(join(dir, 'logo.png'), PNG);
  await writeFile(join(dir, 'Logo.SVG'), '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
  await writeFile(join(dir, 'fake.png'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(dir, 'huge.png'), Buffer.concat([PNG, Buffer.alloc(200 * 1024)]));
  await writeFile(join(dir, 'logo.gif'), 'GIF89a');
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('by default pages name no province, show the built-in mark and have no help contact', (t) => {
  const { province } = loadConfig({});
  t.is(province.name, undefined);
  t.is(province.color, '#0b5394');
  t.regex(province.logo.path, /^\/assets\/logo-[0-9a-f]{16}\.svg$/);
  t.is(province.logo.type, 'image/svg+xml');
  t.deepEqual(province.help, { phone: undefined, email: undefined, hours: [] });
});

test('reads the name in NFC, the logo file with its type, and the help contact', (t) => {
  const { province } = loadConfig({
    PROVINCE_NAME: '  Tỉnh Thừa Thiên Huế '.normalize('NFD'),
    PROVINCE_LOGO: join(dir, 'logo.png'),
    HELP_PHONE: '+84 234 3822 123',
    HELP_EMAIL: 'hotro@sso.hue.gov.vn',
    HELP_HOURS: 'Mon-Fri 07:30-17:00;sat  07:30-11:30',
  });
  t.is(province.name, 'Tỉnh Thừa Thiên Huế');
  t.is(province.logo.type, 'image/png');
  t.regex(province.logo.path, /^\/assets\/logo-[0-9a-f]{16}\.png$/);
  t.deepEqual(province.logo.body, PNG);
  t.deepEqual(province.help, {
    phone: { shown: '+84 234 3822 123', dial: '+842343822123' },
    email: 'hotro@sso.hue.gov.vn',
    hours: [{ from: 'mon', to: 'fri', opens: '07:30', closes: '17:00' }, { from: 'sat', to: 'sat', opens: '07:30', closes: '11:30' }],
  });
});

test('a short hotline number and an SVG logo whatever the case of its extension', (t) => {
  const { province } = loadConfig({ HELP_PHONE: '1022', PROVINCE_LOGO: join(dir, 'Logo.SVG') });
  t.deepEqual(province.help.phone, { shown: '1022', dial: '1022' });
  t.is(province.logo.type, 'image/svg+xml');
});

test('another logo is another path, so a browser never keeps the old one', (t) => {
  t.not(loadConfig({}).province.logo.path.replace(/\.svg$/, ''), loadConfig({ PROVINCE_LOGO: join(dir, 'logo.png') }).province.logo.path.replace(/\.png$/, ''));
});

const refusals: Array<[string, () => Record<string, string>, RegExp]> = [
  ['a province name with a bidi override', () => ({ PROVINCE_NAME: 'Tỉnh \u202eHuế' }), /^PROVINCE_NAME: contains an invisible or control character \(U\+202E\)$/],
  ['a province name on two lines', () => ({ PROVINCE_NAME: 'Tỉnh\nHuế' }), /^PROVINCE_NAME: contains an invisible or control character \(U\+000A\)$/],
  ['a province name longer than 100 characters', () => ({ PROVINCE_NAME: 'Huế'.repeat(34) }), /^PROVINCE_NAME: is longer than 100 characters$/],
  ['a logo on another host', () => ({ PROVINCE_LOGO: 'https://cdn.example.vn/logo.png' }), /^PROVINCE_LOGO: must be a file on this server, not a URL/],
  ['a logo that does not exist', () => ({ PROVINCE_LOGO: join(dir, 'missing.png') }), /^PROVINCE_LOGO: cannot read ".*missing\.png" \(ENOENT\)$/],
  ['a logo of another image type', () => ({ PROVINCE_LOGO: join(dir, 'logo.gif') }), /^PROVINCE_LOGO: ".*logo\.gif" must be a \.png, \.svg, \.webp or \.jpg file$/],
  ['a logo whose content is not its extension', () => ({ PROVINCE_LOGO: join(dir, 'fake.png') }), /^PROVINCE_LOGO: ".*fake\.png" is not a PNG image$/],
  ['a logo over 100 KiB', () => ({ PROVINCE_LOGO: join(dir, 'huge.png') }), /^PROVINCE_LOGO: ".*huge\.png" is 201 KiB; at most 100 KiB$/],
  ['a hotline with letters', () => ({ HELP_PHONE: '1900 HUE-S' }), /^HELP_PHONE: "1900 HUE-S" is not a phone number/],
  ['a hotline of two digits', () => ({ HELP_PHONE: '11' }), /^HELP_PHONE: "11" is not a phone number/],
  ['a hotline with a plus sign inside', () => ({ HELP_PHONE: '0234+3822' }), /^HELP_PHONE: /],
  ['an e-mail address without a domain', () => ({ HELP_EMAIL: 'hotro@' }), /^HELP_EMAIL: "hotro@" is not an e-mail address$/],
  ['an e-mail address with a space', () => ({ HELP_EMAIL: 'ho tro@hue.gov.vn' }), /^HELP_EMAIL: /],
  ['hours written as a sentence', () => ({ HELP_HOURS: 'giờ hành chính' }), /^HELP_HOURS: "giờ hành chính" is not like "Mon-Fri 07:30-17:00"/],
  ['hours that close before they open', () => ({ HELP_HOURS: 'Mon-Fri 17:00-07:30' }), /^HELP_HOURS: "Mon-Fri 17:00-07:30" closes before it opens$/],
  ['hours past midnight', () => ({ HELP_HOURS: 'Mon 08:00-24:30' }), /^HELP_HOURS: "Mon 08:00-24:30" closes after 24:00$/],
  ['days running backwards', () => ({ HELP_HOURS: 'Fri-Mon 07:30-17:00' }), /^HELP_HOURS: "Fri-Mon 07:30-17:00" runs from a later day to an earlier one$/],
  ['a second line of hours that is wrong', () => ({ HELP_HOURS: 'Mon-Fri 07:30-17:00; Sat 7:30-11:30' }), /^HELP_HOURS: "Sat 7:30-11:30" is not like/],
];

for (const [what, env, message] of refusals) {
  test(`refuses ${what}, naming the variable in one line`, (t) => {
    const error = t.throws(() => loadConfig(env()), { instanceOf: ConfigError });
    t.regex(error!.message, message);
    t.false(error!.message.includes('\n'));
  });
}

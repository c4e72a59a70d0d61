import test from 'ava';
import { randomBytes } from 'node:crypto';
import { Sealer } from '../../src/secrets/index.ts';

const sealer = new Sealer(randomBytes(32));

test('a sealed identifier opens to the same value and does not contain it', (t) => {
  const sealed = sealer.seal('046090001234', 'accounts.national_id');
  t.false(sealed.includes('046090001234'));
  t.is(sealer.open(sealed, 'accounts.national_id'), '046090001234');
});

test('the same value seals differently each time', (t) => {
  t.not(sealer.seal('0912345678', 'p'), sealer.seal('0912345678', 'p'));
});

test('a value sealed for one column cannot be opened as another', (t) => {
  const sealed = sealer.seal('0100107518', 'accounts.tax_code');
  t.throws(() => sealer.open(sealed, 'accounts.national_id'));
});

test('a tampered sealed value is refused', (t) => {
  const sealed = sealer.seal('0912345678', 'p');
  const [format, iv, body] = sealed.split('.');
  const bytes = Buffer.from(body, 'base64url');
  bytes[0] ^= 1;
  t.throws(() => sealer.open(`${format}.${iv}.${bytes.toString('base64url')}`, 'p'));
});

test('a different secret key cannot open it', (t) => {
  const sealed = sealer.seal('046090001234', 'p');
  t.throws(() => new Sealer(randomBytes(32)).open(sealed, 'p'));
});

test('lookups are stable per key and purpose, and differ across purposes and keys', (t) => {
  t.is(sealer.lookup('046090001234', 'a'), sealer.lookup('046090001234', 'a'));
  t.not(sealer.lookup('046090001234', 'a'), sealer.lookup('046090001234', 'b'));
  t.not(sealer.lookup('046090001234', 'a'), new Sealer(randomBytes(32)).lookup('046090001234', 'a'));
});

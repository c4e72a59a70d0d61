import test from 'ava';
import { randomBytes } from 'node:crypto';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { AccountNotifier } from '../../src/accounts/notifications.ts';
import { createLogger } from '../../src/logger.ts';
import { Sealer } from '../../src/secrets/index.ts';
import type { SmsMessage, SmsSender } from '../../src/sms/index.ts';

let db: MigratedTestDatabase;
let now = Date.parse('2026-12-02T08:00:00Z');
const clock = { now: () => new Date(now) };

class RecordingSender implements SmsSender {
  readonly provider = 'recording';
  readonly sent: SmsMessage[] = [];
  async send(message: SmsMessage) {
    this.sent.push(message);
  }
}

test.before(async () => {
  db = await openMigratedTestDatabase();
});
test.after.always(async () => {
  await db?.close();
});

function notifier(sms: SmsSender) {
  return new AccountNotifier({ sms, logger: createLogger({ logLevel: 'silent' }), knex: db.knex, sealer: new Sealer(randomBytes(32)), clock, maxLockNoticesPerPhonePerDay: 3 });
}

test.serial('"account locked" SMS: at most 3 per phone per day, with 20 locks notified at once; the next day again', async (t) => {
  const sms = new RecordingSender();
  const accounts = notifier(sms);
  await Promise.all(Array.from({ length: 20 }, () => accounts.notify('+84935000111', 'account_locked')));
  t.is(sms.sent.length, 3);
  await accounts.notify('+84935000222', 'account_locked');
  t.is(sms.sent.filter((message) => message.to === '+84935000222').length, 1, 'another phone has its own limit');
  now += 24 * 3600_000 + 1000;
  await accounts.notify('+84935000111', 'account_locked');
  t.is(sms.sent.filter((message) => message.to === '+84935000111').length, 4);
});

test.serial('a password change is always told, whatever the locks', async (t) => {
  const sms = new RecordingSender();
  const accounts = notifier(sms);
  await Promise.all(Array.from({ length: 5 }, () => accounts.notify('+84935000333', 'account_locked')));
  await accounts.notify('+84935000333', 'password_changed');
  t.is(sms.sent.filter((message) => message.body.includes('Mat khau')).length, 1);
});

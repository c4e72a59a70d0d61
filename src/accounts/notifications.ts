// SMS a person receives when something happens to their account that they should know
// about at once (issue: password changed, account locked, new second factor) — so a
// takeover in progress is noticed by its victim (SPEC R6). Worded in the catalogues
// (`sms.notice.*`), in Vietnamese, without diacritics: one GSM-7 message on any phone.
// A failed notification never fails the action it reports.
import { lockQuotaKeys, type Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import { t } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import type { Sealer } from '../secrets/index.ts';
import type { SmsSender } from '../sms/index.ts';

export type AccountNotice = 'password_changed' | 'account_locked' | 'second_factor_added' | 'integration_approved' | 'integration_rejected';

const DAY_MS = 24 * 3600_000;
const PHONE_PURPOSE = 'otp.phone';

export class AccountNotifier {
  readonly #sms: SmsSender;
  readonly #logger: Logger;
  readonly #knex: Knex;
  readonly #sealer: Sealer;
  readonly #clock: Clock;
  readonly #maxLockNoticesPerDay: number;
  /** Notices on their way; shutdown waits for them (`settled`). */
  readonly #sending = new Set<Promise<void>>();

  constructor(deps: { sms: SmsSender; logger: Logger; knex: Knex; sealer: Sealer; clock: Clock; maxLockNoticesPerPhonePerDay: number }) {
    this.#sms = deps.sms;
    this.#logger = deps.logger;
    this.#knex = deps.knex;
    this.#sealer = deps.sealer;
    this.#clock = deps.clock;
    this.#maxLockNoticesPerDay = deps.maxLockNoticesPerPhonePerDay;
  }

  notify(phone: string | null, notice: AccountNotice): Promise<void> {
    if (!phone) return Promise.resolve();
    const sending = this.#send(phone, notice);
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
    return sending;
  }

  /** Waits for the notices still on their way (graceful shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.#sending]);
  }

  async #send(phone: string, notice: AccountNotice): Promise<void> {
    try {
      // Anyone who knows an identifier can lock its account with wrong
      // passwords, once per lock period; the victim is told a few times a day, not each time.
      if (notice === 'account_locked' && !(await this.#countLockNotice(phone))) {
        this.#logger.info({ notice }, 'account notification not sent: daily limit for this phone reached');
        return;
      }
      await this.#sms.send({ to: phone, body: t('vi', `sms.notice.${notice}`) });
    } catch (error) {
      this.#logger.warn({ notice, reason: (error as Error).message }, 'account notification not sent');
    }
  }

  /** Records one lock notice for `phone` if the day's limit allows it (atomic across nodes). */
  async #countLockNotice(phone: string): Promise<boolean> {
    const key = this.#sealer.lookup(phone, PHONE_PURPOSE);
    const now = this.#clock.now();
    return this.#knex.transaction(async (trx) => {
      await lockQuotaKeys(trx, [`sms:${key}`]);
      const [{ n }] = await trx('sms_sends').where({ phone_hmac: key, purpose: 'notice.account_locked' }).where('sent_at', '>', new Date(now.getTime() - DAY_MS)).count({ n: '*' });
      if (Number(n) >= this.#maxLockNoticesPerDay) return false;
      await trx('sms_sends').insert({ phone_hmac: key, purpose: 'notice.account_locked', ip: null, sent_at: now });
      return true;
    });
  }
}

// SMS a person receives when something happens to their account that they should know
// about at once (issue: password changed, account locked, new second factor) — so a
// takeover in progress is noticed by its victim (SPEC R6). Without diacritics: one GSM-7
// message on any phone. A failed notification never fails the action it reports.
import type { Logger } from '../logger.ts';
import type { SmsSender } from '../sms/index.ts';

export type AccountNotice = 'password_changed' | 'account_locked' | 'second_factor_added';

const MESSAGES: Record<AccountNotice, string> = {
  password_changed: 'Mat khau tai khoan cua ban vua duoc thay doi. Neu khong phai ban, hay dat lai mat khau ngay.',
  account_locked: 'Tai khoan cua ban tam bi khoa do nhap sai mat khau nhieu lan. Neu khong phai ban, hay dat lai mat khau.',
  second_factor_added: 'Tai khoan cua ban vua bat xac thuc hai lop. Neu khong phai ban, hay lien he bo phan ho tro ngay.',
};

export class AccountNotifier {
  readonly #sms: SmsSender;
  readonly #logger: Logger;

  constructor(sms: SmsSender, logger: Logger) {
    this.#sms = sms;
    this.#logger = logger;
  }

  async notify(phone: string | null, notice: AccountNotice): Promise<void> {
    if (!phone) return;
    try {
      await this.#sms.send({ to: phone, body: MESSAGES[notice] });
    } catch (error) {
      this.#logger.warn({ notice, reason: (error as Error).message }, 'account notification not sent');
    }
  }
}

import type { SmsConfig } from './config.ts';
import { ConsoleSmsSender } from './console-sender.ts';
import { HttpSmsSender } from './http-sender.ts';
import type { SmsSender } from './sender.ts';
import { TwilioSmsSender } from './twilio-sender.ts';

export { parseSmsConfig, type SmsConfig } from './config.ts';
export { SmsDeliveryError, type SmsMessage, type SmsSender } from './sender.ts';

export function createSmsSender(config: SmsConfig): SmsSender {
  switch (config.provider) {
    case 'console':
      return new ConsoleSmsSender(config);
    case 'twilio':
      return new TwilioSmsSender(config);
    case 'http':
      return new HttpSmsSender(config);
  }
}

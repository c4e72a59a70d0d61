// Sending a one-time code by SMS, alike for sign-in, registration and password reset: a
// refusal under the sending limits (SPEC R6) or a gateway that failed is an error for the
// page, with the parameters its message needs; anything else is a fault.
import type { MessageKey } from '../i18n/index.ts';
import { OtpError, type Challenge, type SmsOtp } from '../otp/index.ts';
import { SmsDeliveryError } from '../sms/index.ts';

export interface CodeFailure {
  error: MessageKey;
  errorParams?: Record<string, number>;
}

/** Sends the challenge's code; undefined when it went out, else why not. */
export async function sendCode(otp: SmsOtp, challenge: Challenge, ip: string): Promise<CodeFailure | undefined> {
  try {
    await otp.send(challenge, ip);
    return undefined;
  } catch (error) {
    if (error instanceof OtpError) return { error: error.code, errorParams: error.params };
    if (error instanceof SmsDeliveryError) return { error: 'sms.send_failed' };
    throw error;
  }
}

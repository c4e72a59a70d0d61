export { SmsOtp, OtpError, sweepOtpRecords, type Challenge, type OtpErrorCode, type OtpPurpose, type OtpSettings } from './sms-otp.ts';
export { TotpFactors, TotpError, type TotpEnrolment, type TotpErrorCode } from './totp.ts';

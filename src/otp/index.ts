export { SmsOtp, OtpError, otpMessage, forgetOtpSubject, sweepOtpRecords, type Challenge, type OtpErrorCode, type OtpPurpose, type OtpSettings } from './sms-otp.ts';
export { TotpFactors, TotpError, type TotpEnrolment, type TotpErrorCode } from './totp.ts';
export { confirmAuthenticator } from './confirm-authenticator.ts';
export { TOTP_ENROLLED, totpEnrolledRows } from './totp.ts';

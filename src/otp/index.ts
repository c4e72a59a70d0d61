export { SmsOtp, OtpError, otpMessage, sweepOtpRecords, type Challenge, type OtpErrorCode, type OtpPurpose, type OtpSettings } from './sms-otp.ts';

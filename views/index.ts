export { consentPage } from './consent.ts';
export { errorPage } from './error.ts';
export { loginPage } from './login.ts';
export { loggedOutPage, logoutPage } from './logout.ts';
export { otpPage } from './otp.ts';
export { localeOf, pageShell } from './page-shell.ts';
export { forgotPasswordPage, newPasswordPage, noticePage } from './password-reset.ts';
export { registerChoicePage, registerFormPage } from './register.ts';
export { passwordChangePage, passwordWarningPage, recoveryCodesPage, totpEnrolPage, totpPage } from './security.ts';

import type { vi } from './vi.ts';

// Typed by the Vietnamese catalogue: a key missing here, or only here, fails the type check.
export const en: Record<keyof typeof vi, string> = {
  'language.vi': 'Tiếng Việt',
  'language.en': 'English',
  'layout.language_nav': 'Choose language',
  'layout.skip_link': 'Skip to main content',
  'layout.footer': 'Central sign-in service of {province}',

  'login.title': 'Sign in',
  'login.heading': 'Sign in',
  'login.continue_to': 'Sign in to continue to {client}',
  'login.identifier_label': 'Personal identification number, tax code, username or phone number',
  'login.password_label': 'Password',
  'login.submit': 'Sign in',

  'consent.title': 'Share your information',
  'consent.heading': '{client} wants to use your information',
  'consent.scopes_intro': 'If you allow it, {client} will receive:',
  'consent.claims_intro': 'And also:',
  'consent.deny_note': 'If you deny, you will go back to {client} and the app will not receive this information.',
  'consent.allow': 'Allow',
  'consent.deny': 'Deny',

  'scope.openid': 'Your account identifier in this system, so the app can recognise you',
  'scope.profile': 'Full name, date of birth, gender',
  'scope.email': 'Email address',
  'scope.phone': 'Phone number',
  'scope.address': 'Address',
  'scope.national_id': 'Personal identification number / tax code',
  'scope.offline_access': 'Stay signed in: the app may keep access to this information when you are not using it',

  'claim.name': 'Full name',
  'claim.family_name': 'Family name',
  'claim.middle_name': 'Middle name',
  'claim.given_name': 'Given name',
  'claim.birthdate': 'Date of birth',
  'claim.gender': 'Gender',
  'claim.email': 'Email address',
  'claim.email_verified': 'Whether your email address has been verified',
  'claim.phone_number': 'Phone number',
  'claim.phone_number_verified': 'Whether your phone number has been verified',
  'claim.address': 'Address',

  'logout.title': 'Sign out',
  'logout.question': 'Do you want to sign out?',
  'logout.question_client': 'Do you want to sign out of {client}?',
  'logout.explanation': 'Next time, you will need to sign in again to use the apps that rely on this account.',
  'logout.confirm': 'Sign out',
  'logout.stay': 'Stay signed in',

  'logged_out.title': 'You have signed out',
  'logged_out.from_client': 'You have signed out of {client}.',
  'logged_out.close_page': 'You can close this page.',

  'error.title': 'Cannot continue',
  'error.code_label': 'Error code:',

  'signin.failed': 'The identification number/username or password is incorrect. Please check and try again.',
  'signin.identifier_required': 'Enter your personal identification number, tax code, username or phone number.',
  'signin.password_required': 'Enter your password.',
  'signin.input_too_long': 'What you entered is too long. Please check and enter it again.',
  'csrf.invalid': 'This form has expired or was not sent from this site. Reload the page and try again.',
  'interaction.expired': 'Your sign-in session has expired. Go back to the app and start again.',
  'request.invalid': 'The request is not valid. Go back to the app and try again.',
  'server.error': 'Something went wrong on our side. Please try again in a few minutes.',
  'not_found': 'The page you asked for was not found. Please check the address.',
};

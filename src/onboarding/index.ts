// Relying-party onboarding (SPEC R9; Hue-S Art. 15.2): integration requests, their logos, the
// organization's request page, and dynamic registrations recorded as requests.
export { checkLogo, LOGO_NAME, MAX_LOGO_BYTES, type CheckedLogo, type LogoProblem } from './logo.ts';
export { APP_KINDS, newClientOf, readRequestForm, REQUESTABLE_SCOPES, SENSITIVE_SCOPES, type AppKind, type FormField, type IntegrationRequestFields, type RequestFormErrors, type SensitiveScope } from './request-form.ts';
export { CLIENT_LOGO_PATH, IntegrationRequests, type Agency, type IntegrationRequest, type IntegrationRequestSource, type IntegrationRequestStatus } from './requests.ts';
export { onboardingRoutes, postedValues, readRequestSubmission, recordRegistrations, type OnboardingRouteDeps } from './routes.ts';

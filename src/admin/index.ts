// What an operator does: the CLI (cli.ts), the operator console and the admin API.
export { InvalidClientError, registerClient, type RegisterClientDeps } from './register-client.ts';
export {
  AccountInputError,
  createCitizenAccount,
  createOrganizationAccount,
  operatorFields,
  type OperatorCreateDeps,
} from './operator-create.ts';
export { allows, reachOf, ROLE_PERMISSIONS, type Operator, type Permission, type Reach } from './permissions.ts';
export { CONSOLE_CLIENT_ID, CONSOLE_PATH, consoleKit, consoleRoutes, ensureConsoleClient, REAUTH_SECONDS, type ConsoleDeps, type ConsoleKit, type ConsoleOperator } from './console.ts';
export { OperatorSessions, type OperatorSession } from './operator-sessions.ts';
export { API_PATH, apiRoutes, type ApiArea, type ApiDeps, type ApiKit, type OpenApiPaths } from './api.ts';
export { adminRoutes } from './routes.ts';
export { functionsOfScope, grantAdminFunctions, ServiceClientError } from './service-clients.ts';

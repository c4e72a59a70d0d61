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

// What an operator does: today through the CLI (cli.ts), next through the admin console.
export { InvalidClientError, registerClient, type RegisterClientDeps } from './register-client.ts';
export {
  AccountInputError,
  createCitizenAccount,
  createOrganizationAccount,
  type OperatorCreateDeps,
} from './operator-create.ts';

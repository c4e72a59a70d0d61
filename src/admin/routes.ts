// The operator side's routes in one place: the console (pages) and the admin API (JSON), each
// with its areas. An area is a capability (accounts, relying parties, audit) that adds its pages
// to the console and its calls to the API; adding one is adding it to these two lists.
import type Router from '@koa/router';
import { apiRoutes, type ApiArea, type ApiDeps } from './api.ts';
import { consoleRoutes, type ConsoleDeps, type ConsoleKit } from './console.ts';
import { accountsApi } from './accounts-api.ts';
import { accountsConsole } from './accounts-console.ts';
import { auditApiArea } from './audit-api.ts';
import { auditConsoleArea } from './audit-console.ts';
import { clientsConsoleArea } from './clients-area.ts';
import { clientsApiArea } from './clients-api.ts';
import { operatorsApi } from './operators-api.ts';
import { operatorsConsole } from './operators-console.ts';

const CONSOLE_AREAS: readonly ((router: Router, kit: ConsoleKit) => void)[] = [accountsConsole, operatorsConsole, clientsConsoleArea, auditConsoleArea];
const API_AREAS: readonly ApiArea[] = [accountsApi, operatorsApi, clientsApiArea, auditApiArea];

export function adminRoutes(deps: ConsoleDeps & ApiDeps): Router[] {
  return [consoleRoutes(deps, CONSOLE_AREAS), apiRoutes(deps, API_AREAS)];
}

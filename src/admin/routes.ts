// The operator side's routes in one place: the console (pages) and the admin API (JSON), each
// with its areas. An area is a capability (accounts, relying parties, audit) that adds its pages
// to the console and its calls to the API; adding one is adding it to these two lists.
import type Router from '@koa/router';
import { apiRoutes, type ApiArea, type ApiDeps } from './api.ts';
import { consoleRoutes, type ConsoleDeps, type ConsoleKit } from './console.ts';
import { auditConsoleArea } from './audit-console.ts';
import { auditApiArea } from './audit-api.ts';

const CONSOLE_AREAS: readonly ((router: Router, kit: ConsoleKit) => void)[] = [
  auditConsoleArea,
];
const API_AREAS: readonly ApiArea[] = [
  auditApiArea,
];

export function adminRoutes(deps: ConsoleDeps & ApiDeps): Router[] {
  return [consoleRoutes(deps, CONSOLE_AREAS), apiRoutes(deps, API_AREAS)];
}

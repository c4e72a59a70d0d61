// Service clients of the admin API (SPEC R10, issue "operator console" point 8): automation
// that a super-administrator trusts with some management functions. They authenticate as any
// confidential client and get access tokens by the client credentials grant (RFC 6749 §4.4)
// for scopes `admin:<function>`; an access token carries only the functions asked for and
// granted.
import { PERMISSIONS, type Permission } from '../accounts/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { ClientStore } from '../oidc/index.ts';

export class ServiceClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceClientError';
  }
}

/** The admin functions a token's scope names (`admin:accounts.read` → `accounts.read`), unknown ones dropped. */
export function functionsOfScope(scope: string | undefined): Permission[] {
  const named = new Set((scope ?? '').split(' '));
  return PERMISSIONS.filter((permission) => named.has(`admin:${permission}`));
}

/**
 * Gives a service client exactly `functions` of the admin API (replacing what it had). Only a
 * client that uses the client credentials grant alone, and authenticates (no public client),
 * may hold them: a person's sign-in never carries an admin scope.
 */
export async function grantAdminFunctions(
  deps: { clients: ClientStore; audit: AuditLog },
  clientId: string,
  functions: readonly string[],
  by: { operator: string | null; via: string },
): Promise<Permission[]> {
  const unknown = functions.find((name) => !(PERMISSIONS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new ServiceClientError(`"${unknown}" is not an admin function (${PERMISSIONS.join(', ')})`);
  const metadata = await deps.clients.metadataOf(clientId);
  if (!metadata) throw new ServiceClientError(`no client ${clientId}`);
  const grants = (metadata.grant_types as string[] | undefined) ?? [];
  if (grants.length !== 1 || grants[0] !== 'client_credentials' || metadata.token_endpoint_auth_method === 'none') {
    throw new ServiceClientError('admin functions are for a confidential client with the client_credentials grant only');
  }
  const granted = PERMISSIONS.filter((permission) => functions.includes(permission));
  const others = String(metadata.scope ?? '').split(' ').filter((scope) => scope && !scope.startsWith('admin:'));
  await deps.clients.setScope(clientId, [...others, ...granted.map((permission) => `admin:${permission}`)].join(' '));
  await deps.audit.record({ type: 'admin.client.admin_functions_granted', clientId, details: { functions: granted.join(' '), operator: by.operator, via: by.via } });
  return granted;
}

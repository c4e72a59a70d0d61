// Back-channel logout of sessions that end without oidc-provider's logout endpoint (a
// password changed or reset ends every session of the account): each app a session had
// signed in to gets a logout token for it, as oidc-provider's end_session sends one
// (OpenID Connect Back-Channel Logout 1.0 §2.5).
import { errors, type Provider } from 'oidc-provider';
import type { EndedSession } from './adapter.ts';

type LoggingOutClient = NonNullable<Awaited<ReturnType<Provider['Client']['find']>>> & {
  /** oidc-provider's own delivery (models/client.js): a signed logout token POSTed to backchannel_logout_uri. */
  backchannelLogout(sub: string, sid: string): Promise<void>;
};

/**
 * Sends the logout tokens of `sessions`, all at once, and resolves when each was delivered
 * or failed. A failed delivery is reported as oidc-provider reports its own
 * (`backchannel.error`, logged in app.ts) and fails nothing else: the sessions are already
 * ended. Call it once the transaction that ended them is committed: an app told of a
 * logout that is then rolled back would sign out a session that still works.
 */
export async function sendBackchannelLogouts(provider: Provider, ctx: unknown, sessions: EndedSession[]): Promise<void> {
  const clientOf = (clientId: string) => provider.Client.find(clientId).catch((error: unknown) => {
    // A client removed since the sign-in has no one to tell (as end_session's clientForLogout).
    if (error instanceof errors.InvalidClient) return undefined;
    throw error;
  });
  await Promise.all(sessions.flatMap(({ accountId, apps }) => apps.map(async ({ clientId, sid }) => {
    const client = (await clientOf(clientId)) as LoggingOutClient | undefined;
    if (!client?.backchannelLogoutUri) return;
    await client.backchannelLogout(accountId, sid).then(
      () => provider.emit('backchannel.success', ctx, client, accountId, sid),
      (error: unknown) => provider.emit('backchannel.error', ctx, error, client, accountId, sid),
    );
  })));
}

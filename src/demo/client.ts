// The demo application's registration: a public client with PKCE, as a single-page or native app
// would be. It is given to oidc-provider as a static client (configuration `clients`) outside
// production only, and never stored: a development database later run in production carries
// no demo client, and its redirect follows ISSUER wherever the server runs.
import type { ClientMetadata } from 'oidc-provider';

export const DEMO_CLIENT_ID = 'xacthuc-demo';
/** Its name on the sign-in and consent pages: a proper name, the same in both languages. */
export const DEMO_CLIENT_NAME = 'Ứng dụng mẫu xacthuc';
export const DEMO_SCOPE = 'openid profile';

export function demoClient(issuer: string): ClientMetadata {
  return {
    client_id: DEMO_CLIENT_ID,
    client_name: DEMO_CLIENT_NAME,
    application_type: 'web',
    redirect_uris: [`${issuer}/demo/callback`],
    post_logout_redirect_uris: [`${issuer}/demo`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: DEMO_SCOPE,
  };
}

// The built-in demo application (development only): a relying party of this provider, served
// by the same process, to see a whole sign-in without writing one.
export { DEMO_CLIENT_ID, DEMO_CLIENT_NAME, demoClient } from './client.ts';
export { demoRoutes, type DemoDeps } from './routes.ts';

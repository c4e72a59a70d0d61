// The first run: the single-use link that makes the first super-administrator in a browser.
export { firstRunLink, setupBanner, type FirstRunDeps, type SetupLink } from './first-run.ts';
export { setupRoutes, type SetupDeps } from './routes.ts';
export { SETUP_TOKEN_LIFETIME_SECONDS, SetupTokens } from './tokens.ts';

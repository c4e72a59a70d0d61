export { interactionRoutes, type InteractionDeps } from './routes.ts';

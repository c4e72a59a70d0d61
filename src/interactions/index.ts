export { interactionRoutes, standaloneRoutes, type InteractionDeps } from './routes.ts';

export { interactionRoutes, standaloneRoutes, type InteractionDeps } from './routes.ts';
export { TicketSigner } from './sign-in-ticket.ts';

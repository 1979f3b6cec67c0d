import type { OpsRouterFactory } from './ops.routes.js';

/** Every section of the operators' console, mounted below /ops. */
export const OPS_SECTIONS_ROUTERS: OpsRouterFactory[] = [];

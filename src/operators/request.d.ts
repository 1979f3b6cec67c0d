import type { StaffPrincipal } from './ops.middleware.js';

// What the console's session middleware puts on a request below /ops.
declare global {
  namespace Express {
    interface Request {
      operatorSessionId?: string;
      staff?: StaffPrincipal;
    }
  }
}

export {};

import type { CustomerSession } from '../auth/session.js';
import type { ApiCaller } from './api-tokens.service.js';

// What the API's authentication puts on a request (a customer's bearer session or an operator token).
declare global {
  namespace Express {
    interface Request {
      apiCustomer?: CustomerSession;
      apiCaller?: ApiCaller;
    }
  }
}

export {};

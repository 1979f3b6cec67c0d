import type { Campaign } from '../campaigns/campaign.service.js';
import type { CustomerSession } from './session.js';

// What the customer-facing middleware puts on a request (session reader, campaign loader).
declare global {
  namespace Express {
    interface Request {
      customerSession?: CustomerSession;
      campaign?: Campaign;
    }
  }
}

export {};

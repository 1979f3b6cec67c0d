import type { CustomerSession } from '../../auth/session.js';
import type { Campaign } from '../../campaigns/campaign.service.js';

declare global {
  namespace Express {
    interface Request {
      customerSession?: CustomerSession;
      /** Reserved for the operators' console. */
      operatorSessionId?: string;
      campaign?: Campaign;
    }
  }
}

export {};

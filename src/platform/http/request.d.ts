import type { CustomerSession } from '../../auth/session.js';
import type { Campaign } from '../../campaigns/campaign.service.js';
import type { StaffPrincipal } from '../../operators/ops.middleware.js';

declare global {
  namespace Express {
    interface Request {
      customerSession?: CustomerSession;
      /** Reserved for the operators' console. */
      operatorSessionId?: string;
      staff?: StaffPrincipal;
      campaign?: Campaign;
    }
  }
}

export {};

import { errorFactory } from '../platform/errors.js';

/** The campaign no longer takes redemptions (state or deadline). */
export const CampaignClosed = errorFactory('campaign_closed', (c) => c.campaign.closed);
/** The customer's personal data is already erased: nothing is left to redeem for. */
export const AlreadyErased = errorFactory('conflict', (c) => c.redemption.alreadyErased);
/** The chosen gift is not offered by this campaign. */
export const OptionUnavailable = errorFactory('validation', (c) => c.redemption.optionUnavailable);
/** No e-money code of the chosen brand is left: the redemption is rolled back. */
export const PoolEmpty = errorFactory('pool_empty', (c) => c.redemption.poolEmpty);

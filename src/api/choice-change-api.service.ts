import type { CustomerSession } from '../auth/session.js';
import type { Catalogue } from '../messages/catalogue.js';
import type { AppDeps } from '../platform/deps.js';
import { validationError } from '../platform/errors.js';
import { parseChange } from '../redemption/choice-change.schema.js';
import { changeChoice } from '../redemption/choice-change.service.js';
import { sessionCampaign } from './customer-api.service.js';

/**
 * The customer's change of mind through the API: the web page's parser (the same messages, in the
 * language asked for) and the same use case (changeChoice: its rules, locks and consequences),
 * recorded with the channel 'api'. A change is its own guard against repeats: the same change
 * again finds nothing to change and is refused.
 */
export async function apiChangeChoice(
  deps: Pick<AppDeps, 'db' | 'now'>,
  session: CustomerSession,
  body: unknown,
  catalogue: Catalogue,
) {
  const campaign = await sessionCampaign(deps.db, session);
  const parsed = parseChange(catalogue, campaign.def, body);
  if (!parsed.ok) throw validationError(parsed.errors);
  const done = await changeChoice(deps, campaign, session.customerId, parsed.request, 'api');
  return {
    changeId: done.changeId,
    redemptionId: done.redemptionId,
    changedAt: done.changedAt.toISOString(),
    before: done.before,
    after: done.after,
    addressChanged: done.addressChanged,
  };
}

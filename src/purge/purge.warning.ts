import { DAY_MS, PURGE_CONFIRM_DAYS, type ChangeCheck } from '../campaigns/campaign-admin.safety.js';
import { endOfDayJst } from '../campaigns/campaign.schema.js';
import { describePurgeImpact, purgeImpact } from './purge.impact.js';
import { PURGE_MESSAGES } from './purge.messages.js';

/** The purge comes within the window, and sooner than it did before (or the campaign is new). */
export const purgeSoonWarning: ChangeCheck = async (db, change) => {
  const { before, definition, now } = change;
  const purgeAt = endOfDayJst(definition.purgeDeadline);
  const movedEarlier = !before || purgeAt.getTime() < before.purge_deadline_at.getTime();
  if (!movedEarlier) return undefined;
  const impact = await purgeImpact(db, before?.id, purgeAt);
  if (impact.startsAt.getTime() > now.getTime() + PURGE_CONFIRM_DAYS * DAY_MS) return undefined;
  return {
    field: 'confirmPurge',
    value: definition.purgeDeadline,
    title: PURGE_MESSAGES.confirm.purgeSoonTitle,
    lines: describePurgeImpact(impact, now),
    checkbox: PURGE_MESSAGES.confirm.purgeSoonCheckbox(definition.purgeDeadline),
    audit: {
      purgeDeadline: definition.purgeDeadline,
      purgeDeadlineBefore: before ? before.definition.purgeDeadline : null,
      purgeStartsAt: impact.startsAt.toISOString(),
      personalRows: impact.counts.customer_personal,
      undelivered: impact.undelivered,
    },
  };
};

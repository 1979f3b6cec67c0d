import type { Campaign } from '../campaigns/campaign.service.js';
import type {
  contactRequestFigures,
  lettersIssued,
  notifiedByLeakedItem,
  optOutFigures,
  redemptionFigures,
} from './ppc.repo.js';
import { PPC_TEXT } from './ppc.messages.js';
import type { PpcFigure } from './ppc.model.js';
import { CHANNEL_LABELS, OPTION_LABELS } from './reports.messages.js';

/** What the repo counted, all in one snapshot. */
export interface PpcCounts {
  notified: number;
  byLeakedItem: Awaited<ReturnType<typeof notifiedByLeakedItem>>;
  letters: Awaited<ReturnType<typeof lettersIssued>>;
  redemptions: Awaited<ReturnType<typeof redemptionFigures>>;
  erased: number;
  optOuts: Awaited<ReturnType<typeof optOutFigures>>;
  requests: Awaited<ReturnType<typeof contactRequestFigures>>;
}

const S = PPC_TEXT.sections;
const I = PPC_TEXT.items;
const sum = <T extends { n: number }>(rows: T[], keep: (r: T) => boolean) =>
  rows.filter(keep).reduce((total, r) => total + r.n, 0);

/** Every leaked item the definition lists (even with no one), then any item only customers name. */
function notifiedFigures(campaign: Campaign, c: PpcCounts): PpcFigure[] {
  const byKey = new Map(c.byLeakedItem.map((r) => [r.item, r.n]));
  const listed = campaign.def.leakedItems.map((i) => ({
    section: S.notified,
    item: i.label,
    value: byKey.get(i.key) ?? 0,
  }));
  const known = new Set(campaign.def.leakedItems.map((i) => i.key));
  const others = c.byLeakedItem
    .filter((r) => !known.has(r.item))
    .map((r) => ({ section: S.notified, item: r.item, value: r.n }));
  return [...listed, ...others, { section: S.notified, item: I.notifiedTotal, value: c.notified }];
}

function letterFigures(c: PpcCounts): PpcFigure[] {
  const reissued = sum(c.requests, (r) => r.kind === 'reissue' && r.status === 'approved');
  return [
    { section: S.letters, item: I.importRuns, value: c.letters.runs },
    { section: S.letters, item: I.lettersIssued, value: c.letters.letters },
    { section: S.letters, item: I.lettersReissued, value: reissued },
  ];
}

function procedureFigures(c: PpcCounts): PpcFigure[] {
  const byChannel = Object.entries(CHANNEL_LABELS).map(([channel, label]) => ({
    section: S.procedures,
    item: label,
    value: sum(c.redemptions, (r) => r.channel === channel),
  }));
  return [...byChannel, { section: S.procedures, item: I.total, value: sum(c.redemptions, () => true) }];
}

function giftFigures(c: PpcCounts): PpcFigure[] {
  return Object.entries(OPTION_LABELS).flatMap(([option, label]) => {
    const delivered = sum(c.redemptions, (r) => r.option === option && r.delivered);
    const pending = sum(c.redemptions, (r) => r.option === option && !r.delivered);
    return [
      { section: S.gifts, item: I.requested(label), value: delivered + pending },
      { section: S.gifts, item: I.delivered(label), value: delivered },
      { section: S.gifts, item: I.pending(label), value: pending },
    ];
  });
}

function dataChoiceFigures(c: PpcCounts): PpcFigure[] {
  return [
    {
      section: S.erasure,
      item: I.erasureRequested,
      value: sum(c.redemptions, (r) => r.data_choice === 'erasure'),
    },
    { section: S.erasure, item: I.erased, value: c.erased },
    { section: S.optOut, item: I.optOutRequested, value: c.optOuts.requested },
    { section: S.optOut, item: I.optOutExported, value: c.optOuts.exported },
  ];
}

/** Every kind and status, zeros included: a reader compares reports day to day. */
function requestFigures(c: PpcCounts): PpcFigure[] {
  const { requestKinds, requestStatuses } = PPC_TEXT;
  return Object.entries(requestKinds).flatMap(([kind, kindLabel]) =>
    Object.entries(requestStatuses).map(([status, statusLabel]) => ({
      section: S.contact,
      item: I.request(kindLabel, statusLabel),
      value: sum(c.requests, (r) => r.kind === kind && r.status === status),
    })),
  );
}

export function ppcFigures(campaign: Campaign, counts: PpcCounts): PpcFigure[] {
  return [
    ...notifiedFigures(campaign, counts),
    ...letterFigures(counts),
    ...procedureFigures(counts),
    ...giftFigures(counts),
    ...dataChoiceFigures(counts),
    ...requestFigures(counts),
  ];
}

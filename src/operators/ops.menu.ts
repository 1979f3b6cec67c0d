import { can, type Permission } from './permissions.js';
import type { Role } from './staff.table.js';

export interface OpsSection {
  href: string;
  label: string;
  permission: Permission;
}

/** The console's sections, shown in the menu to those whose role allows them. */
export const OPS_SECTIONS: readonly OpsSection[] = [
  { href: '/ops/postcards', label: 'はがき入力', permission: 'postcards' },
  { href: '/ops/contact', label: 'コンタクトセンター', permission: 'contact' },
  { href: '/ops/campaigns', label: 'キャンペーン', permission: 'campaigns' },
  { href: '/ops/fulfilment', label: '発送・寄付', permission: 'fulfilment' },
  { href: '/ops/jobs', label: 'ジョブ', permission: 'jobs' },
  { href: '/ops/reports', label: 'レポート', permission: 'reports' },
  { href: '/ops/audit', label: '監査ログ', permission: 'audit' },
  { href: '/ops/staff', label: 'スタッフ', permission: 'staff' },
  { href: '/ops/api-tokens', label: 'APIトークン', permission: 'api_tokens' },
];

/** The menu of a role: the sections it may open, in the console's order. */
export const menuFor = (role: Role): OpsSection[] => OPS_SECTIONS.filter((s) => can(role, s.permission));

/** The section a console path belongs to (`/ops/fulfilment/batches/1/ship` → 発送・寄付), if any. */
export function sectionOf(path: string): OpsSection | undefined {
  const first = /^\/ops\/([^/?#]+)/.exec(path)?.[1];
  return first ? OPS_SECTIONS.find((s) => s.href === `/ops/${first}`) : undefined;
}

import type { Generated, Insertable, Selectable } from 'kysely';
import type { CampaignDefinition } from './campaign.schema.js';

export type CampaignState = 'draft' | 'open' | 'closed' | 'purged';

export interface CampaignTable {
  id: Generated<string>;
  slug: string;
  company_name: string;
  state: Generated<CampaignState>;
  definition: CampaignDefinition;
  deadline_at: Date;
  purge_deadline_at: Date;
  created_at: Generated<Date>;
  closed_at: Generated<Date | null>;
  purged_at: Generated<Date | null>;
}

export type CampaignRow = Selectable<CampaignTable>;
export type NewCampaignRow = Insertable<CampaignTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    campaigns: CampaignTable;
  }
}

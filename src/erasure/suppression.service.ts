import { hkdfSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Config } from '../platform/config.js';
import { csvDocument } from '../platform/csv.js';
import type { JobDeps } from '../platform/job-deps.js';
import { campaignObjectKey } from '../platform/storage/storage.js';
import {
  claimPendingOptOuts,
  listCampaignsWithPendingOptOuts,
  markOptOutsExported,
  type PendingOptOut,
} from './suppression-export.repo.js';
import { putNewObject } from './erasure.files.js';

/**
 * The marketing opt-outs, handed to the company's other systems: a signed webhook when
 * SUPPRESSION_WEBHOOK_URL is set, otherwise a CSV file they collect from the object store
 * (campaigns/<id>/suppression/, encrypted: read through Owabi's store). Either holds the customer
 * number, the campaign and the date of the request: what a CRM needs to stop mailing, nothing more.
 * Delivery is at least once: a crash after sending but before the commit sends those rows again,
 * which the receiver treats as the same opt-out.
 */

/** One request or one file: keeps a JWT well under common request-size limits (about 1 MB). */
export const SUPPRESSION_CHUNK = 5_000;

export const JWT_ISSUER = 'owabi';
export const JWT_AUDIENCE = 'owabi-suppression-list';

export interface OptOutEntry {
  customer_ref: string;
  campaign: string;
  requested_at: string;
}

/**
 * HS256 key of the webhook, derived from SESSION_SECRET with HKDF under its own label, so that the
 * key handed to the receiving system is not the session key and reveals nothing about it. Rotating
 * SESSION_SECRET rotates this key too; a dedicated secret in the config would decouple the two.
 */
export function suppressionWebhookKey(config: Pick<Config, 'SESSION_SECRET'>): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', config.SESSION_SECRET, 'owabi', 'suppression-webhook-v1', 32));
}

/** An export file of a campaign, under the campaign's prefix: the purge deletes whatever of them is left. */
export const suppressionKey = (campaignId: string, name: string) =>
  campaignObjectKey(campaignId, 'suppression', name);

export interface SuppressionExport {
  exported: number;
  /** The last file written (file export): its object key. */
  file?: string;
  files: string[];
  /** True when the opt-outs went to the webhook. */
  webhook?: boolean;
}

export async function exportSuppressionList(
  deps: Pick<JobDeps, 'db' | 'config' | 'logger' | 'store' | 'now'>,
  opts: { campaignId?: string } = {},
): Promise<SuppressionExport> {
  const result: SuppressionExport = { exported: 0, files: [] };
  const url = deps.config.SUPPRESSION_WEBHOOK_URL;
  for (const campaignId of await listCampaignsWithPendingOptOuts(deps.db, opts.campaignId)) {
    for (let claimed = SUPPRESSION_CHUNK; claimed === SUPPRESSION_CHUNK;) {
      // Rows stay locked while they are sent: if sending fails, nothing is marked and the next run retries.
      claimed = await deps.db.transaction().execute(async (trx) => {
        const rows = await claimPendingOptOuts(trx, campaignId, SUPPRESSION_CHUNK);
        // Without a customer number there is nothing the other systems could match; mark it done.
        const entries = rows.filter((r) => r.customerRef !== null).map(toEntry);
        if (entries.length > 0) {
          if (url) await postSigned(deps, url, entries);
          else result.files.push(await writeCsv(deps, campaignId, entries));
          deps.logger.info(
            { campaign: entries[0]!.campaign, exported: entries.length, target: url ? 'webhook' : 'file' },
            'suppression list exported',
          );
        }
        await markOptOutsExported(
          trx,
          campaignId,
          rows.map((r) => r.customerId),
          deps.now(),
        );
        result.exported += entries.length;
        return rows.length;
      });
    }
  }
  if (url) result.webhook = result.exported > 0;
  result.file = result.files.at(-1);
  return result;
}

const toEntry = (r: PendingOptOut): OptOutEntry => ({
  customer_ref: r.customerRef!,
  campaign: r.campaignSlug,
  requested_at: r.requestedAt.toISOString(),
});

async function postSigned(
  deps: Pick<JobDeps, 'config' | 'now'>,
  url: string,
  entries: OptOutEntry[],
): Promise<void> {
  const iat = Math.floor(deps.now().getTime() / 1000);
  const jwt = await new SignJWT({ entries })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 600)
    .setJti(randomUUID())
    .sign(suppressionWebhookKey(deps.config));
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/jwt' },
    body: jwt,
    signal: AbortSignal.timeout(15_000),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`suppression webhook answered ${res.status}`);
}

/** The export file's columns; the webhook's entries carry the same names. */
export const SUPPRESSION_COLUMNS = ['customer_ref', 'campaign', 'requested_at'] as const;

/**
 * The file goes through the service's CSV writer (UTF-8 with BOM, formula guard), as people open
 * it too. A customer number starting with = + - @ then reads '=…: a system matching on it exactly
 * drops that one apostrophe (unguardCell in src/platform/csv.ts).
 */
async function writeCsv(
  deps: Pick<JobDeps, 'store' | 'now'>,
  campaignId: string,
  entries: OptOutEntry[],
): Promise<string> {
  const stamp = deps
    .now()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const body = csvDocument(
    SUPPRESSION_COLUMNS,
    entries.map((e) => SUPPRESSION_COLUMNS.map((c) => e[c])),
  );
  const name = { base: `${entries[0]!.campaign}-${stamp}`, ext: '.csv' };
  return putNewObject(deps.store, (n) => suppressionKey(campaignId, n), name, body, { sensitive: true });
}

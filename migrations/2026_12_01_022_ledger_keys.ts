import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// The purge's guard proved that every donation of the campaign is booked by looking each one up in
// the ledger: for a million customers an anti-join of a third of a million rows, most of a purge's
// time. Now the ledger's key says what a row is: a ledger row must name a donation of its own campaign
// (foreign key on campaign, option and redemption), and a redemption is booked once (the primary key).
// So the campaign's ledger rows are exactly its booked donations, and "every donation is booked" is
// "as many ledger rows as donations": two index-only counts. The same key refuses to change the
// option of a booked donation (the change-of-mind rules refuse it already).
//
// The redemptions' enum-like columns (channel, option, data choice) get domains saying what they
// hold, so the purge's leftover check need not read them (as migration 020 did for customers). The
// domains start without constraints so the type change relabels the columns (no rewrite), then get
// their constraints NOT VALID and are validated.
const DOMAINS = [
  ['redemption_channel', 'channel', `value in ('web', 'postcard')`],
  ['gift_option', 'option', `value in ('emoney', 'book_card', 'donation')`],
  ['data_choice', 'data_choice', `value in ('none', 'marketing_optout', 'erasure')`],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [domain] of DOMAINS) await sql`create domain ${sql.id(domain)} as text`.execute(db);
  await sql`
    alter table redemptions
      ${sql.join(DOMAINS.map(([domain, column]) => sql`alter column ${sql.id(column)} type ${sql.id(domain)}`))}`.execute(
    db,
  );
  for (const [domain, , check] of DOMAINS) {
    await sql`alter domain ${sql.id(domain)} add constraint ${sql.id(`${domain}_check`)} check (${sql.raw(check)}) not valid`.execute(
      db,
    );
    await sql`alter domain ${sql.id(domain)} validate constraint ${sql.id(`${domain}_check`)}`.execute(db);
  }

  await sql`create unique index redemptions_campaign_option_id_key on redemptions (campaign_id, option, id)`.execute(
    db,
  );
  await sql`
    alter table donation_ledger
      add column option gift_option not null default 'donation' constraint donation_ledger_option_check check (option = 'donation')`.execute(
    db,
  );
  await sql`
    alter table donation_ledger add constraint donation_ledger_donation_fkey
      foreign key (campaign_id, option, redemption_id) references redemptions (campaign_id, option, id) not valid`.execute(
    db,
  );
  await sql`alter table donation_ledger validate constraint donation_ledger_donation_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table donation_ledger drop constraint donation_ledger_donation_fkey`.execute(db);
  await sql`alter table donation_ledger drop column option`.execute(db);
  await sql`drop index redemptions_campaign_option_id_key`.execute(db);
  await sql`
    alter table redemptions
      ${sql.join(DOMAINS.map(([, column]) => sql`alter column ${sql.id(column)} type text`))}`.execute(db);
  for (const [domain] of DOMAINS) await sql`drop domain ${sql.id(domain)}`.execute(db);
}

import { describe, expect, it } from 'vitest';
import { purgeCampaign } from '../src/purge/purge.service.js';
import { createApp } from '../src/app/create-app.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { useRedis, useScratchDir, useTestDeps } from './support/context.js';
import { act, decide, lookUp, requestsOf } from './support/contact-flow.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { buildStaff, OpsBrowser } from './support/ops.js';
import { storedKeys } from './support/stored.js';
import { CustomerBrowser } from './support/web.js';

const dataDir = useScratchDir();
const deps = useTestDeps({}, { DATA_DIR: dataDir });
const jobDeps: JobDeps = { ...deps, redis: useRedis() };
const app = createApp(deps);

describe('what the contact centre leaves behind is purged with the campaign', () => {
  it('when a campaign with notes, a live session and an undownloaded reissued letter is purged, then none of them is left', async () => {
    const campaign = await buildCampaign(deps); // purged by id below, never due for another file's run
    const customer = await buildCustomer(deps, campaign);
    await new CustomerBrowser(app, campaign.slug).login(customer.registrationCode, customer.loginKey);

    const clerk = await new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
    const { token } = await lookUp(clerk, customer.registrationCode);
    expect((await act(clerk, customer.id, 'reissue', { actionToken: token, confirm: 'yes' })).status).toBe(
      200,
    );
    const [request] = await requestsOf(deps, customer.id);
    const supervisor = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    expect((await decide(supervisor, request!.id, 'approve')).status).toBeLessThan(400);
    const letters = `campaigns/${campaign.id}/letters/`;
    expect(await storedKeys(deps.store, letters)).toHaveLength(1);

    const report = await purgeCampaign(jobDeps, campaign.id);
    expect(report.countsBefore).toMatchObject({ contact_notes: 3, reissue_letters: 1 });
    expect(report.countsAfter).toMatchObject({ contact_notes: 0, customer_sessions: 0, reissue_letters: 0 });
    expect(await storedKeys(deps.store, letters)).toEqual([]);
  });
});

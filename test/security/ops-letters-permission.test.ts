import { afterEach, describe, expect, it } from 'vitest';
import { lettersKey } from '../../src/imports/import-runs.files.js';
import { finishImportRun, insertImportRun } from '../../src/imports/import-runs.repo.js';
import { OPS_ROUTES } from '../../src/operators/ops.registry.js';
import { ROLE_PERMISSIONS, type Permission } from '../../src/operators/permissions.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildCampaign } from '../support/factories.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';

/**
 * ASVS 5.0.0 8.2.1 — "Verify that the application ensures that function-level access is restricted
 * to consumers with explicit permissions." The letter print file holds every customer's login key in
 * plain text: downloading it is an export of personal data and needs the `exports` permission, not
 * `imports` (which only lets an operator upload customer files). No built-in role has one without
 * the other, so this file gives the clerk role one of them at a time.
 */
const deps = useTestDeps();
const app = createApp(deps);
const LETTERS_ROUTE = '/campaigns/:id/imports/:runId/letters';

const clerkPermissions = ROLE_PERMISSIONS.clerk;
afterEach(() => {
  ROLE_PERMISSIONS.clerk = clerkPermissions;
});

/** A finished import run whose letter print file waits for its one download. */
async function runWithLetters() {
  const campaign = await buildCampaign(deps);
  const starter = await buildStaff(deps, 'supervisor');
  const runId = await insertImportRun(deps.db, {
    campaignId: campaign.id,
    startedBy: starter.id,
    report: {},
  });
  const file = lettersKey({ campaignId: campaign.id, runId });
  const letters = 'registration_code,login_key\r\nAAAA,KEY-ONLY-HERE\r\n';
  await deps.store.put(file, letters, { sensitive: true });
  await finishImportRun(deps.db, runId, {
    state: 'done',
    rowsRead: 1,
    imported: 1,
    report: {},
    lettersFile: file,
    at: new Date(),
  });
  return { campaign, runId, file };
}

async function clerkWith(...permissions: Permission[]) {
  ROLE_PERMISSIONS.clerk = [...clerkPermissions, ...permissions];
  return new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
}

describe('ASVS 5.0.0 8.2.1 the letter print file', () => {
  it('when its route is declared, then it needs the export permission', () => {
    const route = OPS_ROUTES.find((r) => r.method === 'post' && r.path === LETTERS_ROUTE);
    expect(route?.permission).toBe('exports');
  });

  it('when an operator who may import but not export asks for it, then 403 and the file stays for the one download', async () => {
    const { campaign, runId, file } = await runWithLetters();
    const importer = await clerkWith('imports');
    const res = await importer.post(`/ops/campaigns/${campaign.id}/imports/${runId}/letters`);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('KEY-ONLY-HERE');
    expect(await deps.store.exists(file)).toBe(true);
  });

  it('when an operator who may export asks for it, then the file is handed out', async () => {
    const { campaign, runId } = await runWithLetters();
    const exporter = await clerkWith('imports', 'exports');
    const res = await exporter.post(`/ops/campaigns/${campaign.id}/imports/${runId}/letters`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('KEY-ONLY-HERE');
  });
});

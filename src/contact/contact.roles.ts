import { can } from '../operators/permissions.js';
import type { Role } from '../operators/staff.table.js';

/**
 * Who may decide a contact-centre request: the contact_approve permission (supervisor, admin). The
 * second-person rule (never the requester) is checked beside it and enforced by the database too.
 */
export const canApprove = (role: Role) => can(role, 'contact_approve');

/** The reissued letter's print file is an export of personal data: the export permission. */
export const canDownloadLetter = (role: Role) => can(role, 'exports');

/** What a staff member may do on a request's page (the services check each step again). */
export function mayOnRequest(
  r: { status: string; kind: string; requested_by: string; print_file: string | null },
  staff: { id: string; role: Role },
) {
  const own = r.requested_by === staff.id;
  return {
    decide: r.status === 'pending' && !own && canApprove(staff.role),
    withdraw: r.status === 'pending' && own,
    download: r.kind === 'reissue' && r.print_file !== null && !own && canDownloadLetter(staff.role),
  };
}

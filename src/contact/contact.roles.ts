import { can } from '../operators/permissions.js';
import type { Role } from '../operators/staff.table.js';

/**
 * Who may decide a contact-centre request: the contact_approve permission (supervisor, admin). The
 * second-person rule (never the requester) is checked beside it and enforced by the database too.
 */
export const canApprove = (role: Role) => can(role, 'contact_approve');

/** The reissued letter's print file is an export of personal data: the export permission. */
export const canDownloadLetter = (role: Role) => can(role, 'exports');

import { AppError, errorFactory } from '../platform/errors.js';
import { OPS_ERROR_TEXT } from './ops.messages.js';
import { STAFF_ADMIN_TEXT } from './staff-admin.messages.js';
import { ACCOUNT_TEXT, CHECK_INPUT, ENROL_TEXT, SIGN_IN_TEXT } from './staff.messages.js';

/**
 * The console's refusals about operators and their accounts (Japanese, from the section's own
 * messages). Those that point at a form field are plain functions: an error factory carries no
 * fields. How errors are shown under /ops is ops.errors.ts.
 */

/** The route's permission is not the operator's role's. */
export const NoPermission = errorFactory('forbidden', () => OPS_ERROR_TEXT.noPermission);

export const StaffNotFound = errorFactory('not_found', () => STAFF_ADMIN_TEXT.notFound);
/** A supervisor changing anyone but a clerk. */
export const NotManageable = errorFactory('forbidden', () => STAFF_ADMIN_TEXT.onlyAdminEdits);
export const CannotDisableSelf = errorFactory('validation', () => STAFF_ADMIN_TEXT.notYourself);
export const DisabledNoReset = errorFactory('conflict', () => STAFF_ADMIN_TEXT.disabledNoReset);

/** A role the operator may not give (the new-account form marks the role field). */
export const RoleNotGrantable = () =>
  new AppError('forbidden', () => STAFF_ADMIN_TEXT.onlyAdminGrants, {
    fields: { role: STAFF_ADMIN_TEXT.onlyAdminGrants },
  });

export const UsernameTaken = () =>
  new AppError('conflict', () => STAFF_ADMIN_TEXT.usernameTaken, {
    fields: { username: STAFF_ADMIN_TEXT.usernameTaken },
  });

/** A form's values refused by the service (the password policy, a wrong code): the fields say why. */
export const FormRefused = (fields: Record<string, string>) =>
  new AppError('validation', () => CHECK_INPUT, { fields });

/** Too many failed sign-ins from this network. */
export const ClientThrottled = errorFactory('throttled', () => SIGN_IN_TEXT.clientThrottled);
export const NoSecondFactor = errorFactory('forbidden', () => SIGN_IN_TEXT.noSecondFactor);

/** A password change on an account without a password: said as if it were locked. */
export const PasswordUnchangeable = errorFactory('forbidden', () => ACCOUNT_TEXT.locked);
export const AccountLocked = errorFactory('locked', () => ACCOUNT_TEXT.locked);
export const WrongCurrentPassword = () =>
  new AppError('validation', () => ACCOUNT_TEXT.wrongCurrent, {
    fields: { currentPassword: ACCOUNT_TEXT.wrongCurrent },
  });

/** Unknown, used, expired or replaced enrolment link, or its account disabled. */
export const EnrolmentLinkInvalid = errorFactory('not_found', () => ENROL_TEXT.invalid);
/** The factor the account kept was not proven (`field`: the one that was asked for). */
export const KeptFactorNotProven = (field: 'currentCode' | 'currentPassword') =>
  new AppError('unauthenticated', () => ENROL_TEXT.wrongProof, {
    fields: { [field]: ENROL_TEXT.wrongProof },
  });

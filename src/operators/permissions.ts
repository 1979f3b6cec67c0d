import type { Role } from './staff.table.js';

/** What a role may do. Least privilege: nobody reads the audit log but auditors and admins. */
export type Permission =
  | 'postcards'
  | 'contact'
  /** Deciding a colleague's contact-centre request (a reissued letter, an immediate erasure). */
  | 'contact_approve'
  | 'campaigns'
  | 'imports'
  | 'pools'
  | 'fulfilment'
  | 'exports'
  | 'staff'
  /** Passwords, second factors and lockouts of staff accounts: administrators only. */
  | 'staff_admin'
  | 'jobs'
  | 'reports'
  | 'audit'
  /** Creating and revoking the API tokens of integrations (src/api): administrators only. */
  | 'api_tokens';

export const ALL_PERMISSIONS: Permission[] = [
  'postcards',
  'contact',
  'contact_approve',
  'campaigns',
  'imports',
  'pools',
  'fulfilment',
  'exports',
  'staff',
  'staff_admin',
  'jobs',
  'reports',
  'audit',
  'api_tokens',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ALL_PERMISSIONS,
  supervisor: [
    'postcards',
    'contact',
    'contact_approve',
    'campaigns',
    'imports',
    'pools',
    'fulfilment',
    'exports',
    'staff',
    'jobs',
    'reports',
  ],
  clerk: ['postcards', 'contact'],
  auditor: ['audit', 'reports'],
};

export const ROLES: Role[] = ['admin', 'supervisor', 'clerk', 'auditor'];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理者',
  supervisor: 'スーパーバイザー',
  clerk: 'オペレーター',
  auditor: '監査担当',
};

export const can = (role: Role, p: Permission) => ROLE_PERMISSIONS[role].includes(p);

/** Roles that must use a second factor before anything else: every one. */
export const requiresTotp = (_role: Role) => true;

/**
 * Roles an operator may give an account (create it with, or change it to): an administrator any,
 * a supervisor (who has the staff page) clerks only.
 */
export const grantableRoles = (actor: Role): Role[] => (actor === 'admin' ? ROLES : ['clerk']);

/** Accounts an operator may change (role, disable, enable): a supervisor only clerks'. */
export const canManage = (actor: Role, target: Role) => actor === 'admin' || target === 'clerk';

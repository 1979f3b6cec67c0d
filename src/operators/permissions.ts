import type { Role } from './staff.table.js';

/** What a role may do. Least privilege: nobody reads the audit log but auditors and admins. */
export type Permission =
  | 'postcards'
  | 'contact'
  | 'campaigns'
  | 'imports'
  | 'pools'
  | 'fulfilment'
  | 'exports'
  | 'staff'
  | 'jobs'
  | 'reports'
  | 'audit';

export const ALL_PERMISSIONS: Permission[] = [
  'postcards',
  'contact',
  'campaigns',
  'imports',
  'pools',
  'fulfilment',
  'exports',
  'staff',
  'jobs',
  'reports',
  'audit',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ALL_PERMISSIONS,
  supervisor: [
    'postcards',
    'contact',
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

/** Roles that must use a second factor before anything else. */
export const requiresTotp = (role: Role) => role === 'admin' || role === 'supervisor';

import type { Migration } from 'kysely';
import * as initial from './2026_11_22_001_initial.js';
import * as jobs from './2026_11_22_002_jobs.js';
import * as operators from './2026_11_22_003_operators.js';
import * as purgeSafety from './2026_11_22_004_purge_safety.js';
import * as postcardNotifications from './2026_11_22_005_postcard_notifications.js';
import * as staffSecurity from './2026_11_22_006_staff_security.js';
import * as contactControls from './2026_11_22_007_contact_controls.js';
import * as auditRoles from './2026_11_22_008_audit_roles.js';
import * as importLeases from './2026_11_22_009_import_leases.js';
import * as api from './2026_11_30_010_api.js';
import * as letterVerification from './2026_11_30_011_letter_verification.js';
import * as choiceChanges from './2026_11_30_012_choice_changes.js';
import * as throughput from './2026_11_30_013_throughput.js';
import * as partitions from './2026_12_01_014_partitions.js';
import * as login from './2026_12_01_015_login.js';
import * as background from './2026_12_01_016_background.js';
import * as partitionLocks from './2026_12_01_017_partition_locks.js';
import * as clearEmptyLocks from './2026_12_01_018_clear_empty_locks.js';
import * as serialPartitionDdl from './2026_12_01_019_serial_partition_ddl.js';
import * as scanDomains from './2026_12_01_020_scan_domains.js';
import * as hotPathFunctions from './2026_12_01_021_hot_path_functions.js';
import * as ledgerKeys from './2026_12_01_022_ledger_keys.js';
import * as ledgerRecipientIndex from './2026_12_01_023_ledger_recipient_index.js';
import * as customerKeys from './2026_12_02_024_customer_keys.js';

/** Every migration, in order. Add new ones here; never edit an applied one. */
export const migrations: Record<string, Migration> = {
  '2026_11_22_001_initial': initial,
  '2026_11_22_002_jobs': jobs,
  '2026_11_22_003_operators': operators,
  '2026_11_22_004_purge_safety': purgeSafety,
  '2026_11_22_005_postcard_notifications': postcardNotifications,
  '2026_11_22_006_staff_security': staffSecurity,
  '2026_11_22_007_contact_controls': contactControls,
  '2026_11_22_008_audit_roles': auditRoles,
  '2026_11_22_009_import_leases': importLeases,
  '2026_11_30_010_api': api,
  '2026_11_30_011_letter_verification': letterVerification,
  '2026_11_30_012_choice_changes': choiceChanges,
  '2026_11_30_013_throughput': throughput,
  '2026_12_01_014_partitions': partitions,
  '2026_12_01_015_login': login,
  '2026_12_01_016_background': background,
  '2026_12_01_017_partition_locks': partitionLocks,
  '2026_12_01_018_clear_empty_locks': clearEmptyLocks,
  '2026_12_01_019_serial_partition_ddl': serialPartitionDdl,
  '2026_12_01_020_scan_domains': scanDomains,
  '2026_12_01_021_hot_path_functions': hotPathFunctions,
  '2026_12_01_022_ledger_keys': ledgerKeys,
  '2026_12_01_023_ledger_recipient_index': ledgerRecipientIndex,
  '2026_12_02_024_customer_keys': customerKeys,
};

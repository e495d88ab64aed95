/**
 * The public face of lib/sync for entrypoints and components. Import from
 * here, lazily in the side panel (`await import('../lib/sync')`, or
 * `./header` for the panel header), not from the files inside.
 */
export { drainOutbox, retryEntry, type DrainOptions, type DrainResult } from './engine';
export { pullChanges, type PullResult } from './pull';
export { resolveConflict, type ConflictChoice } from './conflicts';
export {
  syncSummary,
  recordSyncStatus,
  recentDeliveries,
  deliveryLog,
  type SyncSummary,
  type RecordSyncStatus,
  type DeliveryLogRow,
} from './status';
export { registerSync, nudgeSync, syncNow, runSync, SYNC_ALARM } from './register';
export { testBackendConnection, type ConnectionTest } from './test-connection';
export {
  BackendSettings,
  DEFAULT_BACKEND,
  loadBackendSettings,
  saveBackendSettings,
  isBackendSwitch,
  validateBackendSettings,
  originPattern,
  generateWebhookSecret,
  type BackendValidation,
} from './settings';
export { signWebhook, verifyWebhook } from './signature';

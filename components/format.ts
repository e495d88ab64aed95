/**
 * Words for the case model's values: one place that knows which message key
 * names a status reason, a resolution type or a timeline field.
 */
import { t } from '../lib/i18n/t';
import type { StatusReason } from '../lib/schema';

const ACTIVE = new Set(['inProgress', 'onHold', 'waitingForDetails', 'researching']);
const RESOLUTION = new Set(['problemSolved', 'informationProvided', 'other']);

export function statusReasonLabel(reason: StatusReason | string | undefined): string {
  if (!reason) return '';
  if (ACTIVE.has(reason)) return t(`reason.${reason}`);
  if (RESOLUTION.has(reason)) return t(`case.resolutionType.${reason}`);
  return t(`case.statusReason.${reason}`);
}

/** "2 h 5 min", "3 d 4 h", "12 min": how long until (or since) an SLA deadline. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return t('duration.daysHours', [days, hours]);
  if (hours > 0) return t('duration.hoursMinutes', [hours, mins]);
  return t('duration.minutes', mins);
}

const sizeFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return t('size.bytes', bytes);
  if (bytes < 1024 * 1024) return t('size.kb', sizeFormat.format(bytes / 1024));
  return t('size.mb', sizeFormat.format(bytes / 1024 / 1024));
}

/** The error key of whatever went wrong: a SidecaseError's key, or the generic one. */
export function errorKeyOf(error: unknown): string {
  if (error && typeof error === 'object' && 'key' in error && typeof (error as { key: unknown }).key === 'string') {
    return (error as { key: string }).key;
  }
  console.error(error);
  return 'case.error.failed';
}

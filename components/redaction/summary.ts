/**
 * "2 card numbers, 1 password": what was masked, each label's count in the
 * labels' order. The panel's notice, the timeline's "masked by scan: …" and
 * the options page's scan say it the same way.
 */
import { t } from '../../lib/i18n/t';
import { REDACTION_LABELS, type RedactionLabel } from '../../lib/redaction/span';

export function summaryOfCounts(counts: Partial<Record<string, number>>): string {
  return REDACTION_LABELS.flatMap((label) => {
    const count = counts[label] ?? 0;
    if (count <= 0) return [];
    return [count === 1 ? t(`redaction.count.${label}.one`) : t(`redaction.count.${label}.other`, count)];
  }).join(', ');
}

export function summaryOf(labels: readonly RedactionLabel[]): string {
  const counts: Partial<Record<string, number>> = {};
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  return summaryOfCounts(counts);
}

/** The notice after a paste: "Masked 1 card number: •••• •••• •••• 1111". */
export function maskedNoticeOf(items: ReadonlyArray<{ label: RedactionLabel; masked: string }>): string {
  if (items.length === 0) return '';
  return `${t('redaction.notice.masked', summaryOf(items.map((i) => i.label)))}: ${items.map((i) => i.masked).join(', ')}`;
}

import type { Priority } from '../../lib/constants';
import { t } from '../../lib/i18n/t';

/** Colour-coded, and labelled in words: colour is never the only signal. */
export function PriorityBadge(props: { priority: Priority }) {
  return <span class={`badge priority--${props.priority}`}>{t(`priority.${props.priority}`)}</span>;
}

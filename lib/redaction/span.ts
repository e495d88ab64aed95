/**
 * What a detector returns: where in the text a sensitive value is, what kind
 * it is, and the masked form that replaces it. Pure types and two helpers, no
 * library: every detector file and the masker share them.
 */

/** The four kinds the options switch one by one (mask / ask / off). */
export const REDACTION_KINDS = ['card', 'iban', 'secret', 'nationalId'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** Per kind, what the options say: mask (the default), ask, or off (not looked for). Validated in settings.ts. */
export const REDACTION_MODES = ['mask', 'ask', 'off'] as const;
export type RedactionMode = (typeof REDACTION_MODES)[number];
export type RedactionModes = Record<RedactionKind, RedactionMode>;
export const DEFAULT_REDACTION_MODES: RedactionModes = { card: 'mask', iban: 'mask', secret: 'mask', nationalId: 'mask' };

/**
 * What the agent is told it was ("Masked 2 card numbers, 1 password"); the
 * message key is `redaction.label.<label>`.
 */
export const REDACTION_LABELS = ['card', 'iban', 'password', 'privateKey', 'token', 'apiKey', 'cnp', 'taj', 'huTaxId', 'nik'] as const;
export type RedactionLabel = (typeof REDACTION_LABELS)[number];

export interface Span {
  kind: RedactionKind;
  label: RedactionLabel;
  /** Offsets in the text the detector read: [start, end). */
  start: number;
  end: number;
  /** What replaces text.slice(start, end). */
  masked: string;
}

export const BULLET = '•';
export const SECRET_REMOVED = '[secret removed]';

/** Digits and letters of a value in groups of four, all but the last four as bullets: `•••• •••• •••• 4242`. */
export function maskKeepingLast(compact: string, keepStart: number, keepEnd: number): string {
  const chars = [...compact].map((c, i) => (i < keepStart || i >= compact.length - keepEnd ? c : BULLET));
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += 4) groups.push(chars.slice(i, i + 4).join(''));
  return groups.join(' ');
}

/** The digits of a value written with spaces or dashes. */
export const digitsOf = (value: string) => value.replace(/\D/g, '');

/**
 * The case-work settings (SLA targets, parent/child resolve policy, attachment
 * size limit): shapes, defaults, and their own storage item 'local:caseSettings'
 * (zod-validated on read, version 1). zod and storage only: importing this
 * pulls no database code into the options page.
 */
import { z } from 'zod';
import { storage } from 'wxt/utils/storage';

const Minutes = z.number().int().min(1, 'sla.target.tooShort').max(365 * 24 * 60, 'sla.target.tooLong');
export const SlaTarget = z
  .object({ firstResponse: Minutes, resolve: Minutes })
  .refine((target) => target.firstResponse <= target.resolve, { message: 'sla.target.responseAfterResolve', path: ['firstResponse'] });
/** Minutes per priority: the options page's SLA section. */
export const SlaTargets = z.object({ low: SlaTarget, normal: SlaTarget, high: SlaTarget, urgent: SlaTarget });
export type SlaTarget = z.infer<typeof SlaTarget>;
export type SlaTargets = z.infer<typeof SlaTargets>;

/** Defaults in the spirit of common desk entitlements: urgent 1 h / 4 h … low 1 day / 5 days. */
export const DEFAULT_SLA_TARGETS: SlaTargets = {
  urgent: { firstResponse: 60, resolve: 4 * 60 },
  high: { firstResponse: 4 * 60, resolve: 24 * 60 },
  normal: { firstResponse: 8 * 60, resolve: 3 * 24 * 60 },
  low: { firstResponse: 24 * 60, resolve: 5 * 24 * 60 },
};

export const PARENT_CHILD_POLICIES = ['independent', 'cascade', 'requireChildrenResolved'] as const;
/**
 * independent: parent and children are resolved on their own (default);
 * cascade: resolving the parent resolves its active children (and theirs);
 * requireChildrenResolved: the parent can be resolved only once every child is closed.
 */
export const ParentChildPolicy = z.enum(PARENT_CHILD_POLICIES);
export type ParentChildPolicy = z.infer<typeof ParentChildPolicy>;
export const DEFAULT_PARENT_CHILD_POLICY: ParentChildPolicy = 'independent';

/** The per-file attachment limit, in MB (setting); 25 MB as the desks allow for mail attachments. */
export const MaxAttachmentMb = z.number().int().min(1, 'attachment.limit.tooSmall').max(500, 'attachment.limit.tooLarge');
export const DEFAULT_MAX_ATTACHMENT_MB = 25;

// ---------------------------------------------------------------- storage

/**
 * The case-work settings as stored: their own storage item, not part of
 * lib/settings.ts, because that one is read before the panel's first paint
 * with zod/mini, and these (full zod) are needed only once a case is worked on.
 */
export const CaseSettings = z.object({
  sla: SlaTargets,
  parentChildPolicy: ParentChildPolicy,
  maxAttachmentMb: MaxAttachmentMb,
});
export type CaseSettings = z.infer<typeof CaseSettings>;
export type CaseSettingsInput = z.input<typeof CaseSettings>;

export const DEFAULT_CASE_SETTINGS: CaseSettings = {
  sla: DEFAULT_SLA_TARGETS,
  parentChildPolicy: DEFAULT_PARENT_CHILD_POLICY,
  maxAttachmentMb: DEFAULT_MAX_ATTACHMENT_MB,
};

const caseSettingsItem = storage.defineItem<unknown>('local:caseSettings', { fallback: null, version: 1 });

/**
 * The settings last read in this context (defaults until then). createCase
 * falls back to it when its caller passes no SLA targets, so a case created
 * from the form or a context menu gets the agent's targets without every
 * caller reading storage first; the panel and the background keep it fresh
 * with `watchCaseSettings`.
 */
let snapshot: CaseSettings = DEFAULT_CASE_SETTINGS;
export function caseSettingsSnapshot(): CaseSettings {
  return snapshot;
}

/** A stored value checked field by field: one bad part falls back to its default, the rest is kept. */
export function parseCaseSettings(value: unknown): CaseSettings {
  const whole = CaseSettings.safeParse(value);
  if (whole.success) return whole.data;
  const raw = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const part = <T>(schema: z.ZodType<T>, v: unknown, fallback: T): T => {
    const parsed = schema.safeParse(v);
    return parsed.success ? parsed.data : fallback;
  };
  return {
    sla: part(SlaTargets, raw.sla, DEFAULT_SLA_TARGETS),
    parentChildPolicy: part(ParentChildPolicy, raw.parentChildPolicy, DEFAULT_PARENT_CHILD_POLICY),
    maxAttachmentMb: part(MaxAttachmentMb, raw.maxAttachmentMb, DEFAULT_MAX_ATTACHMENT_MB),
  };
}

export async function loadCaseSettings(): Promise<CaseSettings> {
  snapshot = parseCaseSettings(await caseSettingsItem.getValue());
  return snapshot;
}

/** Validates, then stores; throws the zod error (message keys per field) for the options form. */
export async function saveCaseSettings(input: CaseSettingsInput): Promise<CaseSettings> {
  const settings = CaseSettings.parse(input);
  await caseSettingsItem.setValue(settings);
  snapshot = settings;
  return settings;
}

export function watchCaseSettings(onChange?: (settings: CaseSettings) => void): () => void {
  return caseSettingsItem.watch((value) => {
    snapshot = parseCaseSettings(value);
    onChange?.(snapshot);
  });
}

/** The per-file attachment limit in bytes. */
export function maxAttachmentBytes(settings: Pick<CaseSettings, 'maxAttachmentMb'>): number {
  return settings.maxAttachmentMb * 1024 * 1024;
}

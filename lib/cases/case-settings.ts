/**
 * The case-work settings' shapes and defaults, for lib/settings.ts to include
 * (SLA targets, parent/child resolve policy, attachment size limit). zod only:
 * importing this pulls no database code into the options page.
 */
import { z } from 'zod';

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

/**
 * Case lifecycle after creation: edit, resolve, cancel, merge, reassign,
 * reopen, child cases. The desks' rules, enforced here rather than in the UI:
 *
 * - the state changes only through its transition (never by editing a field);
 * - a resolved or cancelled case is read-only until reopened (read-only.ts);
 * - resolving needs a resolution type and text, and the history of resolutions
 *   survives reopening;
 * - open follow-ups block resolving, cancelling and merging (the error carries
 *   them so the UI can offer to close them; `closeFollowUps: true` closes them
 *   and acts in one transaction);
 * - the parent/child resolve policy is a setting passed in by the caller.
 *
 * Each transition validates its input with zod, then in ONE transaction writes
 * the record(s), a timeline event (old → new, actor, time) and an outbox entry.
 * One file per transition (edit.ts, resolve.ts, cancel.ts, merge.ts,
 * reassign.ts, reopen.ts, children.ts) over what they share (transition.ts);
 * this file is the one the rest of Sidecase imports them from.
 */
export { FollowUpsOpenError } from './write';
export { isReadOnly } from './read-only';
export { DEFAULT_PARENT_CHILD_POLICY, PARENT_CHILD_POLICIES, ParentChildPolicy } from './case-settings';
export type { FollowUpsContext, LifecycleContext } from './transition';
export { CasePatch, updateCase } from './edit';
export { ResolveInput, resolveCase, type ResolveContext } from './resolve';
export { cancelCase } from './cancel';
export { mergeCase, type MergeResult } from './merge';
export { ReassignInput, reassignCase } from './reassign';
export { reopenCase } from './reopen';
export { childCaseDefaults, createChildCase, listChildCases, type ChildCaseInput } from './children';

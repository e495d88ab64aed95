/**
 * What the panel knows of the page the agent is on, as signals the first
 * paint can render (the source-case banner, a remembered value's hint).
 * shell/site-context.ts fills them after first paint.
 */
import { signal } from '@preact/signals';
import type { SourceCase } from '../../lib/panel/source-case';

/** The open tab's URL (or origin), when the panel may see it. */
export const tabUrl = signal<string | undefined>(undefined);
/** `mail.google.com`: the site of the tab, else of the last capture. */
export const siteHost = signal<string | undefined>(undefined);
/** The newest open case made from this page, or undefined. */
export const sourceCase = signal<SourceCase | undefined>(undefined);

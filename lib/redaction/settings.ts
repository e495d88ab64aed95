/**
 * What the agent chose per kind (options page): mask (the default), ask
 * (masked, and the panel asks before Save whether to keep each one) or off
 * (not looked for). Stored inside lib/settings.ts's settings item, so zod/mini
 * like it: read before the panel's first paint. The detectors and the masker
 * never import this file (they take the modes as a plain object), so zod
 * stays out of their lazily loaded chunk.
 */
import * as z from 'zod/mini';
import { REDACTION_MODES } from './span';

export const RedactionMode = z.enum(REDACTION_MODES);

export const RedactionModes = z.object({
  card: z._default(RedactionMode, 'mask'),
  iban: z._default(RedactionMode, 'mask'),
  secret: z._default(RedactionMode, 'mask'),
  nationalId: z._default(RedactionMode, 'mask'),
});

export { DEFAULT_REDACTION_MODES } from './span';

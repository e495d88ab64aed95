/**
 * What a capture returns, as a zod schema: the boundary between the page and
 * the extension. `captureDocument` runs in the page (through
 * `scripting.executeScript`) and the extension parses what comes back with
 * `CaptureResult.parse` before any of it reaches the form. The schema
 * re-checks what capture.ts already guarantees (caps, no invisible or control
 * characters, addresses that are addresses), because a result that crossed
 * from a page is checked at the edge, whoever produced it.
 *
 * Imported by the extension only: the page script imports the type, not zod.
 */
import { z } from 'zod';
import { CAPTURE_LIMITS as L } from './limits';

/**
 * Where a value was found: a site reader's id ('gmail', 'outlook', 'slack',
 * 'whatsapp', 'teams'), a structured-data format ('jsonld', 'microdata',
 * 'hcard', 'rdfa'), a link ('mailto', 'tel'), the agent's 'selection', the page
 * 'text', or the 'page' itself (its title or meta description); weak ones: the
 * 'signature' of the customer's latest mail, a name guessed from the mail
 * 'address', a company guessed from its 'domain'. The panel shows it as
 * `capture.from.<id>`.
 */
export const SOURCE_IDS = [
  'gmail', 'outlook', 'slack', 'whatsapp', 'teams', 'webmail', 'jsonld', 'microdata', 'rdfa', 'hcard', 'mailto', 'tel',
  'selection', 'text', 'page', 'signature', 'address', 'domain',
] as const;
// A pattern rather than an enum, so a new reader needs no change here (its message key is checked by a test).
export const SourceId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'capture.error.invalid');

// Characters capture.ts strips (see clean.ts): their presence means the result was not made by it.
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const isSafe = (value: string) => !UNSAFE.test(value);

/** One line of plain text (may be empty). */
const line = (max: number) =>
  z
    .string()
    .max(max, 'capture.error.invalid')
    .refine((value) => isSafe(value) && !/[\t\n\r]/.test(value), 'capture.error.invalid');
/** Several lines of plain text (may be empty). */
const block = (max: number) => z.string().max(max, 'capture.error.invalid').refine(isSafe, 'capture.error.invalid');

const EmailValue = z
  .string()
  .max(L.email, 'capture.error.invalid')
  .regex(/^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}[a-z]{2,24}$/, 'capture.error.invalid');
const E164 = z.string().regex(/^\+[1-9]\d{5,14}$/, 'capture.error.invalid');

/** A value and where it was found. */
const found = <T extends z.ZodType<string>>(value: T) => z.object({ value, from: SourceId });
const nonEmpty = (schema: z.ZodType<string>) => schema.refine((value) => value.length > 0, 'capture.error.invalid');

export const CapturedCustomer = z.object({
  name: found(nonEmpty(line(L.name))).optional(),
  email: found(EmailValue).optional(),
  /** E.164 (`+36201234567`) when the number could be normalised, else as written. */
  phone: found(nonEmpty(line(L.phone))).optional(),
  company: found(nonEmpty(line(L.company))).optional(),
  /** From a mail signature; the form has no field for it yet. */
  jobTitle: found(nonEmpty(line(L.jobTitle))).optional(),
});

export const EmailCandidate = z.object({ value: EmailValue, from: SourceId });
export const PhoneCandidate = z.object({
  /** As written on the page. */
  value: nonEmpty(line(L.phone)),
  e164: E164.optional(),
  from: SourceId,
});

export const CAPTURE_ORIGINS = ['email', 'chat', 'web'] as const;

export const CaptureResult = z.object({
  /** Empty when the page names no customer: nothing is invented. */
  customer: CapturedCustomer,
  /** The mail subject, the chat's opening line or the page title. */
  suggestedTitle: found(nonEmpty(line(L.title))).optional(),
  /** The selection, the message body or the page's description. */
  descriptionExcerpt: found(nonEmpty(block(L.description))).optional(),
  origin: z.enum(CAPTURE_ORIGINS),
  /** The site reader that read the page, if one did. */
  reader: SourceId.optional(),
  url: line(L.url),
  pageTitle: line(L.pageTitle),
  /** The agent's selection as plain text ('' when none). */
  selection: block(L.selection),
  /** Every email and phone found, most trusted first, the agent's own left out. */
  candidates: z.object({
    emails: z.array(EmailCandidate).max(L.candidates),
    phones: z.array(PhoneCandidate).max(L.candidates),
  }),
  /** The page held more text than was read (the panel says so). */
  truncated: z.boolean(),
});

export type CaptureResult = z.infer<typeof CaptureResult>;
export type CapturedCustomer = z.infer<typeof CapturedCustomer>;
export type EmailCandidate = z.infer<typeof EmailCandidate>;
export type PhoneCandidate = z.infer<typeof PhoneCandidate>;
export type CaptureOrigin = (typeof CAPTURE_ORIGINS)[number];

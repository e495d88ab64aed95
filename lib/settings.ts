/**
 * Settings: written once here with their defaults, versioned, validated with
 * zod whenever they are read (storage is a boundary: a value written by an
 * older build or by hand is checked, and a bad one falls back to defaults).
 *
 * zod/mini, like lib/drafts.ts: the panel reads the settings before its first
 * paint.
 */
import * as z from 'zod/mini';
import { storage } from 'wxt/utils/storage';
import { RedactionModes } from './redaction/settings';

export const OWN_ADDRESS_MAX = 50;

/** An email address or a bare domain ("example.com" or "@example.com"). */
export const OwnAddress = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value: string) => value.trim().toLowerCase().replace(/^@/, '')),
  ),
  z
    .string()
    .check(
      z.maxLength(254, 'options.ownAddresses.invalid'),
      z.regex(/^([^\s@]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'options.ownAddresses.invalid'),
    ),
);

export const Settings = z.object({
  /** Shown as the owner and actor of what the agent does. */
  agentName: z
    .string()
    .check(z.trim(), z.minLength(1, 'options.agentName.required'), z.maxLength(100, 'options.agentName.tooLong')),
  /** The agent's own addresses and domains: never taken as the customer. */
  ownAddresses: z.array(OwnAddress).check(z.maxLength(OWN_ADDRESS_MAX, 'options.ownAddresses.tooMany')),
  /** ISO country for phone numbers written without +country (empty: from the browser's language). */
  defaultCountry: z._default(z.string().check(z.regex(/^([A-Z]{2})?$/, 'options.defaultCountry.invalid')), ''),
  /** Per kind of sensitive value (lib/redaction): mask, ask or off. Absent (settings saved before it): every kind masked. */
  redaction: z.optional(RedactionModes),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = { agentName: 'Agent', ownAddresses: [], defaultCountry: '' };

const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Stored settings, checked: anything that does not parse gives the defaults. */
export function parseSettings(stored: unknown): Settings {
  const parsed = Settings.safeParse(stored ?? DEFAULT_SETTINGS);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function loadSettings(): Promise<Settings> {
  const parsed = Settings.safeParse(await settingsItem.getValue());
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** Validates, then stores; throws the zod error for the options form to show. */
export async function saveSettings(input: z.input<typeof Settings>): Promise<Settings> {
  const settings = Settings.parse(input);
  await settingsItem.setValue(settings);
  return settings;
}

export function watchSettings(onChange: (settings: Settings) => void): () => void {
  return settingsItem.watch((value) => {
    const parsed = Settings.safeParse(value);
    onChange(parsed.success ? parsed.data : DEFAULT_SETTINGS);
  });
}

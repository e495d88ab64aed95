/**
 * A list kept in extension storage for the panel to pick up (the context
 * menu's results, the new case's images): every read is parsed by the list's
 * schema and an entry that does not parse is dropped, never thrown; the
 * writes of one context go in order, so two changes in a row both land.
 */
import type { z } from 'zod';
import { storage } from 'wxt/utils/storage';

export interface StoredList<T> {
  read(): Promise<T[]>;
  /** Replaces the list by `change` of the list as stored once the writes before it have landed. */
  update(change: (list: T[]) => T[]): Promise<void>;
  watch(onChange: (list: T[]) => void): () => void;
}

export function storedList<T>(key: `session:${string}` | `local:${string}`, schema: z.ZodType<T>): StoredList<T> {
  const item = storage.defineItem<unknown[]>(key, { fallback: [] });
  const parse = (value: unknown): T[] => {
    if (!Array.isArray(value)) return [];
    return value.flatMap((entry) => {
      const parsed = schema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  };
  let writes: Promise<unknown> = Promise.resolve();
  return {
    read: async () => parse(await item.getValue()),
    update(change) {
      const next = writes.then(async () => item.setValue(change(parse(await item.getValue()))));
      writes = next.catch(() => undefined);
      return next;
    },
    watch: (onChange) => item.watch((value) => onChange(parse(value))),
  };
}

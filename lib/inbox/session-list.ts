/**
 * A list kept in `storage.session` (memory: it outlives the panel, not the
 * browser), validated on every read: an entry that does not parse is dropped,
 * never handed on. Writes of one context go in order, so two menu clicks or
 * two pastes in a row both land.
 */
import type { z } from 'zod';
import { storage } from 'wxt/utils/storage';

export interface SessionList<T> {
  list(): Promise<T[]>;
  /** Replaces the list with `change` of its current entries, after this context's earlier writes. */
  update(change: (list: T[]) => T[]): Promise<void>;
  watch(onChange: (list: T[]) => void): () => void;
}

export function sessionList<T>(key: `session:${string}`, schema: z.ZodType<T>): SessionList<T> {
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
    list: async () => parse(await item.getValue()),
    update(change) {
      const next = writes.then(async () => item.setValue(change(parse(await item.getValue()))));
      writes = next.catch(() => undefined);
      return next;
    },
    watch: (onChange) => item.watch((value) => onChange(parse(value))),
  };
}

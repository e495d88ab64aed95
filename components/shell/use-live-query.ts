import { useEffect, useState } from 'preact/hooks';
import { liveQuery } from 'dexie';

/**
 * Dexie liveQuery as a hook: the component re-renders when the rows it read
 * change (in this panel, another panel or the background), without copying
 * rows into state by hand. `undefined` while the first result is pending.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: readonly unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: setValue,
      error: (error: unknown) => console.error('liveQuery failed', error),
    });
    return () => subscription.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}

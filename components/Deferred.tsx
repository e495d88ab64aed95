import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * Renders a lazily imported component once it has loaded, and nothing before:
 * for parts of the panel that are not needed at first paint and should not
 * flash a "Loading…" line either (the capture inbox is usually empty).
 */
export function Deferred<P extends object>(props: { load: () => Promise<ComponentType<P>>; props: P }) {
  const [Component, setComponent] = useState<ComponentType<P> | undefined>(undefined);
  useEffect(() => {
    let live = true;
    props.load().then(
      (loaded) => live && setComponent(() => loaded),
      (error: unknown) => console.error('module failed to load', error),
    );
    return () => {
      live = false;
    };
  }, [props.load]);
  return Component ? <Component {...props.props} /> : null;
}

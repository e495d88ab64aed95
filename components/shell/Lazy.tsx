import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../lib/i18n/t';

/**
 * Renders a component from a lazily imported module: the panel's first paint
 * carries only the form; the list and the detail view arrive right after.
 *
 * `quiet`: for parts that are not needed at first paint and should not flash a
 * "Loading…" line either (the capture inbox is usually empty): nothing is shown
 * until the module has loaded, nor if it fails (the failure is logged).
 */
export function Lazy<P extends object>(props: { load: () => Promise<ComponentType<P>>; props: P; quiet?: boolean }) {
  const [Component, setComponent] = useState<ComponentType<P> | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    props.load().then(
      (loaded) => live && setComponent(() => loaded),
      (error: unknown) => {
        console.error('module failed to load', error);
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [props.load]);
  if (Component) return <Component {...props.props} />;
  if (props.quiet) return null;
  if (failed) return <p role="alert">{t('app.loadFailed')}</p>;
  return <p class="loading" aria-busy="true">{t('app.loading')}</p>;
}

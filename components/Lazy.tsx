import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../lib/i18n/t';

/**
 * Renders a component from a lazily imported module: the panel's first paint
 * carries only the form; the list and the detail view arrive right after.
 */
export function Lazy<P extends object>(props: { load: () => Promise<ComponentType<P>>; props: P }) {
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
  if (failed) return <p role="alert">{t('app.loadFailed')}</p>;
  return Component ? <Component {...props.props} /> : <p class="loading" aria-busy="true">{t('app.loading')}</p>;
}

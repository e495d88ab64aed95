import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../lib/i18n/t';

/**
 * Lazy.tsx for the parts of a case that load later still (note editor, files,
 * preview). The same few lines on purpose: importing Lazy from these lazily
 * loaded chunks makes Rollup move it out of the panel's entry chunk into a
 * chunk of its own, which the first paint then loads as one more file
 * (measured: +270 bytes gzip of initial JavaScript).
 */
export function LazyPart<P extends object>(props: { load: () => Promise<ComponentType<P>>; props: P }) {
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

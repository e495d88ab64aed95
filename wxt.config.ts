import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// Manifest and build. Permissions stay minimal: what each feature needs is
// added with the issue that brings the feature, and said in the README.
export default defineConfig({
  // Parallel builds (several engineers, or the bench beside the tests) each get their own folder.
  outDir: process.env.SIDECASE_OUT_DIR ?? '.output',
  // No auto-imports: every file says what it uses (house style), and a name
  // exported by components/ can never leak into lib/ unseen.
  imports: false,
  manifest: ({ browser }) => ({
    name: '__MSG_ext_name__',
    description: '__MSG_ext_description__',
    default_locale: 'en',
    // No host permission at install: a page is read with the activeTab grant of a toolbar or
    // context-menu click (scripting), the clipboard on "Paste context" (clipboardRead).
    permissions: [
      'activeTab',
      'scripting',
      'contextMenus',
      ...(browser === 'firefox' ? [] : ['sidePanel']),
      'storage',
      'unlimitedStorage',
      'clipboardRead',
      'alarms',
      // identity.launchWebAuthFlow: "Sign in with Microsoft" for a Dynamics 365 backend (lib/sync/oauth).
      'identity',
    ],
    // Asked at run time for one origin each: the sync backend's (lib/sync/settings.ts) and the
    // sites the agent captures from all day ("Always allow on this site", lib/panel).
    // (Firefox's MV2 build has no optional_host_permissions: origins go in optional_permissions.)
    ...(browser === 'firefox'
      ? { optional_permissions: ['https://*/*', 'http://*/*'] }
      : { optional_host_permissions: ['https://*/*', 'http://*/*'] }),
    action: { default_title: '__MSG_action_title__' },
    commands: {
      // The keyboard shortcut clicks the toolbar button, so the panel opens the
      // same way (and, later, with the same activeTab grant).
      [browser === 'firefox' ? '_execute_sidebar_action' : '_execute_action']: {
        suggested_key: { default: 'Alt+Shift+S' },
        description: '__MSG_command_open_panel__',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            // Sidecase sends nothing anywhere unless the agent configures a backend.
            gecko: { id: 'sidecase@sidecase.app', strict_min_version: '115.0', data_collection_permissions: { required: ['none'] } },
          },
        }
      : {}),
  }),
  hooks: {
    // The pages (side panel, options) are built together; left alone, Rollup
    // splits what they share into a dozen tiny chunks, each one more module
    // request before the panel's first paint. Group the UI runtime and the
    // panel's own small modules, and keep zod's full build out of the first
    // paint (see pageChunk).
    'vite:build:extendConfig': (entrypoints, viteConfig) => {
      if (!entrypoints.some((entry) => entry.type === 'sidepanel')) return;
      const rollup = ((viteConfig.build ??= {}).rollupOptions ??= {});
      const outputs = [rollup.output ?? (rollup.output = {})].flat();
      for (const out of outputs) out.manualChunks = pageChunk;
    },
  },
  vite: () => ({
    plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
    // No modulepreload polyfill: Chromium and Firefox 115 (the oldest the manifest allows) preload modules
    // themselves, and its code ran before every first paint for nothing.
    build: { target: 'es2022', sourcemap: false, modulePreload: { polyfill: false } },
  }),
});

/**
 * zod modules only the full build (`import { z } from 'zod'`, loaded lazily)
 * uses: JSON Schema output, the parse memoizer it installs, the English
 * messages it configures. zod/mini, which checks the stored draft and settings
 * before the first paint, reaches them only through re-exports it never uses.
 */
const ZOD_FULL_ONLY = /\/node_modules\/zod\/v4\/(core\/(to-json-schema|json-schema-processors|json-schema-generator|json-schema|memoizer)\.js$|locales\/)/;

/** Which shared chunk a module of the pages goes to (undefined: Rollup decides). */
function pageChunk(id: string): string | undefined {
  // Vite's preload helper: tiny, needed by the first paint, no request of its own.
  if (id.includes('vite/preload-helper')) return 'panel-core';
  // Tree-shaking is decided once for the whole build, not per chunk: a zod
  // module left to Rollup follows zod/mini into panel-core (a manual chunk takes
  // its unassigned static imports) with every part the lazily loaded full build
  // uses. So zod's core goes to panel-core by name, and the full build's extras
  // to a chunk of their own that only the lazily loaded code imports.
  if (ZOD_FULL_ONLY.test(id)) return 'zod-full';
  if (/\/node_modules\/zod\/v4\/(core|mini)\//.test(id)) return 'panel-core';
  if (/node_modules\/(preact|@preact|wxt|@wxt-dev|dequal|async-mutex)\//.test(id)) return 'ui';
  if (/\/(lib\/(constants|errors|settings|drafts|i18n\/t)|components\/(quick-create\/form|shell\/panel)-state)\.ts$/.test(id)) return 'panel-core';
  // Used by the first paint and by lazily loaded parts (Lazy, Field) or the
  // options page (Field): kept here, neither becomes a chunk (and a request) of its own.
  if (/\/components\/shell\/(Lazy|Field)\.tsx$/.test(id)) return 'panel-core';
  // The panel's signals and handlers the first paint shares with its lazily
  // loaded parts (capture, the help, the case list, the site context): one
  // chunk the options page never loads, instead of one each. Capture's signals
  // and its loader are two files (no import loop with capture-actions.ts).
  if (/\/components\/(capture\/capture-(state|signals)|shell\/(keyboard|site-signals)|cases\/case-views-state)\.ts$/.test(id)) return 'panel-first';
  if (/\/lib\/panel\/shortcuts\.ts$/.test(id)) return 'panel-first';
  return undefined;
}

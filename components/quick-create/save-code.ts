/**
 * The code Save runs (the validator and createCase), loaded while the agent
 * reads the form (main.tsx) and kept: once it is here, Save takes it without
 * an await. An `import()` of a module already loaded still answers a task
 * later, behind whatever the page has queued, on the agent's hot path.
 */
const load = () =>
  Promise.all([import('../../lib/schema'), import('../../lib/cases/create')]).then(([schema, create]) => ({
    CaseInput: schema.CaseInput,
    Tag: schema.Tag,
    createCase: create.createCase,
  }));

export type SaveCode = Awaited<ReturnType<typeof load>>;

let loaded: SaveCode | undefined;
let loading: Promise<SaveCode> | undefined;

export function loadSaveCode(): Promise<SaveCode> {
  loading ??= load().then(
    (code) => (loaded = code),
    (error: unknown) => {
      // A failed chunk load (an update replaced the files) may succeed next time.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The code if it has loaded: no await on the hot path. */
export function saveCodeNow(): SaveCode | undefined {
  return loaded;
}

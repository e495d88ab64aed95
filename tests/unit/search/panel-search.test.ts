import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { db } from '../../../lib/db/db';
import { handlePortMessages } from '../../../lib/messages';
import { searchMessageHandlers } from '../../../lib/search/message-handlers';
import { searchForPanel } from '../../../lib/search/panel-search';
import { caseInput } from '../cases/helpers';
import { fakePorts } from '../fake-ports';

let now = 1_700_000_000_000;
const ctx = () => ({ actor: 'Bea', db, now: ++now });
let ports: ReturnType<typeof fakePorts> | undefined;
let stopListening: (() => void) | undefined;

/** The background as background.ts registers it, with its handler watched. */
function background() {
  const handler = vi.fn(searchMessageHandlers['search.cases']);
  stopListening = handlePortMessages({ 'search.cases': handler });
  return handler;
}

afterEach(async () => {
  ports?.stopBackground();
  stopListening?.();
  stopListening = undefined;
  vi.restoreAllMocks();
  await Promise.all(db.tables.map((table) => table.clear()));
});

describe("the panel's search", () => {
  it('asks the background and shows the rows it answers', async () => {
    ports = fakePorts();
    const handler = background();
    await createCase(caseInput({ title: 'Printer jams on tray 2' }, { name: 'Budi Santoso' }), ctx());
    const rows = await searchForPanel('printer', 25);
    expect(rows.map((r) => [r.title, r.customerLabel])).toEqual([['Printer jams on tray 2', 'Budi Santoso']]);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('tells the background to read afresh after a case was saved, so the next search finds it', async () => {
    ports = fakePorts();
    const handler = background();
    await searchForPanel('wombat', 25); // Whatever earlier tests changed is told with this one.
    expect(await searchForPanel('wombat', 25)).toEqual([]);
    await createCase(caseInput({ title: 'Wombat in the server room' }), ctx());
    expect((await searchForPanel('wombat', 25)).map((r) => r.title)).toEqual(['Wombat in the server room']);
    expect(handler.mock.calls.slice(1).map(([body]) => body.fresh)).toEqual([false, true]);
    // Told once: the search after that may use what the background read.
    await searchForPanel('wombat', 25);
    expect(handler.mock.calls.at(-1)?.[0].fresh).toBe(false);
  });

  it('searches here, with the same results, when the background does not answer', async () => {
    ports = fakePorts();
    await createCase(caseInput({ title: 'Printer jams on tray 2' }, { name: 'Budi Santoso' }), ctx());
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const rows = await searchForPanel('printer', 25);
    expect(rows.map((r) => [r.title, r.customerLabel])).toEqual([['Printer jams on tray 2', 'Budi Santoso']]);
    expect(warn).toHaveBeenCalledWith('[sidecase] search: the background did not answer; searching in this page');
    expect(performance.getEntriesByName('sidecase:search-local')).toHaveLength(1);
  });

  it('cuts a pasted wall of text to what the background accepts instead of failing', async () => {
    ports = fakePorts();
    const handler = background();
    await createCase(caseInput({ title: 'Printer jams' }), ctx());
    const rows = await searchForPanel(`printer ${'x'.repeat(2000)}`, 25);
    expect(rows).toEqual([]);
    expect(handler.mock.calls[0]?.[0].query).toHaveLength(500);
  });
});

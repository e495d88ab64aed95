import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { addNote } from '../../../lib/notes/notes';
import { drainOutbox } from '../../../lib/sync/engine';
import { pullChanges } from '../../../lib/sync/pull';
import type { BackendSettings } from '../../../lib/sync/settings';
import { searchCases } from '../../../lib/search/search';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';
import { caseInput } from '../cases/helpers';

const TOKEN = 'tok_pull_words_0123456789';
const T0 = Date.UTC(2025, 5, 2, 9, 0, 0);
let server: ReferenceBackend | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('what a pull does to search', () => {
  it('finds a case by a word of a note another agent added, and takes no derived field from the wire', async () => {
    // (the derived fields: words, note words, customer label and the next SLA deadline)
    server = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
    const settings: BackendSettings = { kind: 'rest', url: server.url, auth: { type: 'bearer', token: TOKEN } };
    const db = new SidecaseDb(`pull-words-${Math.random()}`);
    const ctx = { actor: 'Eva', db, now: T0 };
    const { case: created } = await createCase(caseInput({ title: 'Router reboots' }, { name: 'Ana Exemplu' }), ctx);
    await addNote(created.id, { body: 'Firmware 2.1 installed', format: 'text' }, { ...ctx, now: T0 + 1 });
    await drainOutbox({ db, settings, now: () => T0 + 2 });

    // Another desk adds a note, and edits the case sending its own idea of the derived fields.
    const noteId = newId(T0 + 3);
    server.externalUpdate('note', noteId, {
      id: noteId,
      caseId: created.id,
      body: 'Courier says the wombat chewed the cable',
      format: 'text',
      author: 'Other desk',
      createdAt: T0 + 3,
      updatedAt: T0 + 3,
      version: 1,
    });
    expect(await pullChanges({ db, settings, now: () => T0 + 4 })).toMatchObject({ applied: 1, conflicts: 0 });
    expect((await searchCases('wombat', { db })).map((hit) => hit.case.id)).toEqual([created.id]);

    server.externalUpdate('case', created.id, {
      ...created,
      title: 'Router reboots nightly',
      version: 2,
      words: ['injected'],
      noteWords: ['injected'],
      customerLabel: 'Somebody else',
      slaDueAt: 1,
    });
    expect(await pullChanges({ db, settings, now: () => T0 + 5 })).toMatchObject({ applied: 1, conflicts: 0 });

    const stored = await db.cases.get(created.id);
    expect(stored?.title).toBe('Router reboots nightly');
    expect(stored?.customerLabel).toBe('Ana Exemplu');
    expect(stored?.words).not.toContain('injected');
    expect(stored?.noteWords).toEqual(expect.arrayContaining(['firmware', 'wombat', 'chewed']));
    expect(stored?.noteWords).not.toContain('injected');
    // The next SLA deadline follows the case's own timers, not the number sent.
    expect(stored?.slaDueAt).toBe(Math.min(created.sla!.firstResponseBy!, created.sla!.resolveBy!));
    expect((await searchCases('wombat', { db })).map((hit) => hit.case.id)).toEqual([created.id]);
    expect(await searchCases('injected', { db })).toEqual([]);
  });
});

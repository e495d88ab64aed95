import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  DEFAULT_CASE_SETTINGS,
  caseSettingsSnapshot,
  loadCaseSettings,
  maxAttachmentBytes,
  parseCaseSettings,
  saveCaseSettings,
  watchCaseSettings,
} from '../../../lib/cases/case-settings';
import { createCase } from '../../../lib/cases/create';
import { caseInput, freshDb } from './helpers';

const MINUTE = 60_000;

describe('case-work settings', () => {
  it('are the defaults until the agent saves their own', async () => {
    expect(await loadCaseSettings()).toEqual(DEFAULT_CASE_SETTINGS);
    expect(DEFAULT_CASE_SETTINGS.maxAttachmentMb).toBe(25);
    expect(DEFAULT_CASE_SETTINGS.parentChildPolicy).toBe('independent');
  });

  it('are stored in their own item and read back', async () => {
    const saved = await saveCaseSettings({
      ...DEFAULT_CASE_SETTINGS,
      sla: { ...DEFAULT_CASE_SETTINGS.sla, urgent: { firstResponse: 30, resolve: 120 } },
      parentChildPolicy: 'cascade',
      maxAttachmentMb: 10,
    });
    expect(await fakeBrowser.storage.local.get('caseSettings')).toEqual({ caseSettings: saved });
    expect((await loadCaseSettings()).sla.urgent).toEqual({ firstResponse: 30, resolve: 120 });
    expect(maxAttachmentBytes(saved)).toBe(10 * 1024 * 1024);
  });

  it('refuse a first response due after the resolution, with the message on that field', async () => {
    const bad = { ...DEFAULT_CASE_SETTINGS, sla: { ...DEFAULT_CASE_SETTINGS.sla, high: { firstResponse: 600, resolve: 60 } } };
    await expect(saveCaseSettings(bad)).rejects.toMatchObject({
      issues: [expect.objectContaining({ message: 'sla.target.responseAfterResolve', path: ['sla', 'high', 'firstResponse'] })],
    });
    await expect(saveCaseSettings({ ...DEFAULT_CASE_SETTINGS, maxAttachmentMb: 0 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ message: 'attachment.limit.tooSmall' })],
    });
  });

  it('keep the valid parts of a damaged stored value and default the rest', () => {
    const parsed = parseCaseSettings({ sla: 'nonsense', parentChildPolicy: 'requireChildrenResolved', maxAttachmentMb: 9999 });
    expect(parsed).toEqual({ sla: DEFAULT_CASE_SETTINGS.sla, parentChildPolicy: 'requireChildrenResolved', maxAttachmentMb: 25 });
    expect(parseCaseSettings(null)).toEqual(DEFAULT_CASE_SETTINGS);
  });

  it('tell a watcher about a change made elsewhere', async () => {
    const seen: string[] = [];
    const stop = watchCaseSettings((next) => seen.push(next.parentChildPolicy));
    await fakeBrowser.storage.local.set({ caseSettings: { ...DEFAULT_CASE_SETTINGS, parentChildPolicy: 'cascade' } });
    await new Promise((r) => setTimeout(r, 0));
    stop();
    expect(seen).toEqual(['cascade']);
    expect(caseSettingsSnapshot().parentChildPolicy).toBe('cascade');
  });

  it('give new cases the agent’s SLA targets once read, without the caller passing them', async () => {
    await saveCaseSettings({ ...DEFAULT_CASE_SETTINGS, sla: { ...DEFAULT_CASE_SETTINGS.sla, normal: { firstResponse: 15, resolve: 90 } } });
    const db = freshDb();
    const now = Date.UTC(2025, 0, 6, 9);
    const created = await createCase(caseInput(), { actor: 'Ana', db, now });
    expect(created.case.sla).toEqual({ firstResponseBy: now + 15 * MINUTE, resolveBy: now + 90 * MINUTE });
    await saveCaseSettings(DEFAULT_CASE_SETTINGS);
  });
});

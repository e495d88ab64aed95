import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SidecaseError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import {
  dispatchMessage,
  handleMessages,
  isOwnExtensionSender,
  MESSAGES,
  handlePortMessages,
  sendMessage,
  sendOverPort,
  type MessageHandlers,
  type MessageName,
} from '../../lib/messages';
import { fakePorts } from './fake-ports';

const OWN = { id: 'ext', origin: 'chrome-extension://ext/' };
const PANEL = { id: 'ext', url: 'chrome-extension://ext/sidepanel.html' };
const envelope = (name: string, body: unknown) => ({ sidecase: 1, name, body });

/** Handlers for every message in the map that record their calls. */
function spyHandlers() {
  const handlers = {
    'pending.added': vi.fn(() => ({ ok: true as const, shown: true })),
    'sync.now': vi.fn(() => ({ ok: true as const, sent: 2 })),
    'sync.nudge': vi.fn(() => ({ ok: true as const })),
    'sync.retry': vi.fn(() => ({ ok: true as const })),
    'sync.resolveConflict': vi.fn(() => ({ ok: true as const })),
    'search.cases': vi.fn(() => ({ ok: true as const, query: 'ana', results: [] })),
  } satisfies Required<MessageHandlers>;
  return handlers;
}

/** A well-formed body for each message, and ones that must not reach a handler. */
const BODIES: Record<MessageName, { valid: unknown; malformed: unknown[] }> = {
  'pending.added': { valid: { id: 'a' }, malformed: [{ id: 42 }, { id: '' }, undefined] },
  'sync.now': { valid: {}, malformed: ['now', null, undefined, 3] },
  'sync.nudge': { valid: {}, malformed: ['soon', null, undefined] },
  'sync.retry': { valid: { outboxId: newId() }, malformed: [{ outboxId: '../../etc' }, {}, { outboxId: 7 }] },
  'sync.resolveConflict': {
    valid: { entity: 'case', id: newId(), choice: 'mine' },
    malformed: [
      { entity: 'case', id: newId(), choice: 'both' },
      { entity: 'settings', id: newId(), choice: 'mine' },
      { entity: 'case', id: 'not-an-id', choice: 'theirs' },
    ],
  },
  'search.cases': {
    valid: { query: 'ana', limit: 25, fresh: false },
    malformed: [
      { query: 'x'.repeat(501), limit: 25, fresh: false },
      { query: 'ana', limit: 0, fresh: false },
      { query: 'ana', limit: 101, fresh: false },
      { query: 'ana', limit: 25 },
      { query: 42, limit: 25, fresh: true },
    ],
  },
};
const NAMES = Object.keys(MESSAGES) as MessageName[];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the map of messages between contexts', () => {
  it('lists the sync requests and the search pages send the background, beside the panel nudge', () => {
    expect(NAMES.sort()).toEqual(['pending.added', 'search.cases', 'sync.now', 'sync.nudge', 'sync.resolveConflict', 'sync.retry']);
  });

  it.each(NAMES)('lets %s reply with a message key when it fails', (name) => {
    expect(MESSAGES[name].reply.safeParse({ ok: false, error: 'sync.message.failed' }).success).toBe(true);
  });

  it.each(NAMES)('keeps URLs and credentials out of a %s reply', (name) => {
    for (const error of ['https://crm.example/api?token=abc', 'Bearer abc123', 'sync.error.http://x', '']) {
      expect(MESSAGES[name].reply.safeParse({ ok: false, error }).success, error).toBe(false);
    }
  });
});

describe('a message received', () => {
  it.each(NAMES)('runs the %s handler for a well-formed message from a page of this extension', async (name) => {
    const handlers = spyHandlers();
    const reply = await dispatchMessage(handlers, envelope(name, BODIES[name].valid), PANEL, OWN);
    expect(handlers[name]).toHaveBeenCalledOnce();
    expect(reply).toMatchObject({ ok: true });
  });

  it.each(NAMES)('answers a malformed %s body as invalid without running its handler', async (name) => {
    const handlers = spyHandlers();
    for (const body of BODIES[name].malformed) {
      expect(await dispatchMessage(handlers, envelope(name, body), PANEL, OWN)).toEqual({ ok: false, error: 'sync.message.invalid' });
    }
    expect(handlers[name]).not.toHaveBeenCalled();
  });

  it.each(NAMES)('refuses %s from a content script and from another extension', async (name) => {
    const handlers = spyHandlers();
    const message = envelope(name, BODIES[name].valid);
    // A content script of ours shares the extension id, but its URL is the web page's.
    expect(await dispatchMessage(handlers, message, { id: 'ext', url: 'https://mail.example.com/inbox' }, OWN)).toEqual({
      ok: false,
      error: 'sync.message.refused',
    });
    expect(await dispatchMessage(handlers, message, { id: 'other', url: 'chrome-extension://other/page.html' }, OWN)).toEqual({
      ok: false,
      error: 'sync.message.refused',
    });
    expect(await dispatchMessage(handlers, message, { id: 'other' }, OWN)).toEqual({ ok: false, error: 'sync.message.refused' });
    expect(handlers[name]).not.toHaveBeenCalled();
  });

  it('accepts the worker of this extension, which Chrome sends without a URL', () => {
    expect(isOwnExtensionSender({ id: 'ext' }, OWN)).toBe(true);
    expect(isOwnExtensionSender(PANEL, OWN)).toBe(true);
    expect(isOwnExtensionSender({ id: 'ext', url: 'about:blank' }, OWN)).toBe(false);
  });

  it('checks the sender against the running extension when told nothing else', async () => {
    const handlers = spyHandlers();
    const own = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
    expect(await dispatchMessage(handlers, envelope('sync.nudge', {}), own)).toEqual({ ok: true });
    expect(await dispatchMessage(handlers, envelope('sync.nudge', {}), { ...own, url: 'https://evil.example/' })).toEqual({
      ok: false,
      error: 'sync.message.refused',
    });
  });

  it('stays silent for what is not its to answer, so another context can', async () => {
    const handlers = { 'pending.added': spyHandlers()['pending.added'] };
    expect(await dispatchMessage(handlers, envelope('sync.now', {}), PANEL, OWN)).toBeUndefined();
    expect(await dispatchMessage(handlers, envelope('case.delete', {}), PANEL, OWN)).toBeUndefined();
    expect(await dispatchMessage(handlers, envelope('toString', {}), PANEL, OWN)).toBeUndefined();
    expect(await dispatchMessage(handlers, { type: 'sync.now' }, PANEL, OWN)).toBeUndefined();
    expect(await dispatchMessage(handlers, 'sync.now', PANEL, OWN)).toBeUndefined();
  });

  it("turns a handler's known failure into its message key, and any other into sync.message.failed", async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const known: MessageHandlers = {
      'sync.now': () => {
        throw new SidecaseError('sync.error.unauthorized');
      },
    };
    expect(await dispatchMessage(known, envelope('sync.now', {}), PANEL, OWN)).toEqual({ ok: false, error: 'sync.error.unauthorized' });
    const unknown: MessageHandlers = {
      'sync.retry': async () => {
        throw new TypeError('fetch failed for https://crm.example/?token=abc');
      },
    };
    expect(await dispatchMessage(unknown, envelope('sync.retry', { outboxId: newId() }), PANEL, OWN)).toEqual({
      ok: false,
      error: 'sync.message.failed',
    });
    // Nothing of the error's text (it might quote a URL) reaches the log either.
    expect(JSON.stringify(log.mock.calls)).not.toContain('crm.example');
  });

  it('answers sync.message.failed when a handler breaks its reply schema', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = { 'sync.nudge': () => ({ ok: false, error: 'https://crm.example/' }) } as unknown as MessageHandlers;
    expect(await dispatchMessage(broken, envelope('sync.nudge', {}), PANEL, OWN)).toEqual({ ok: false, error: 'sync.message.failed' });
  });

  it('answers through the listener only the messages it has a handler for', async () => {
    const stop = handleMessages({ 'sync.nudge': () => ({ ok: true }) });
    const sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') };
    const replies: unknown[] = [];
    // The fake's trigger is typed without Chrome's third argument, sendResponse.
    const trigger = fakeBrowser.runtime.onMessage.trigger as unknown as (...args: unknown[]) => Promise<unknown[]>;
    const respond = (reply: unknown) => void replies.push(reply);
    const kept = await trigger(envelope('sync.nudge', {}), sender, respond);
    const passed = await trigger(envelope('sync.now', {}), sender, respond);
    await vi.waitFor(() => expect(replies).toEqual([{ ok: true }]));
    // true keeps Chrome's channel open for the reply; false leaves the message to the background.
    expect([kept, passed]).toEqual([[true], [false]]);
    stop();
    expect(await trigger(envelope('sync.nudge', {}), sender, respond)).toEqual([]);
  });
});

describe('a message sent from a page', () => {
  it('sends the envelope and reads the reply', async () => {
    const send = vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue({ ok: true, sent: 3 });
    expect(await sendMessage('sync.now', {})).toEqual({ ok: true, sent: 3 });
    expect(send).toHaveBeenCalledWith({ sidecase: 1, name: 'sync.now', body: {} });
  });

  it('passes on the failure the background answered', async () => {
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue({ ok: false, error: 'sync.retry.gone' });
    expect(await sendMessage('sync.retry', { outboxId: newId() })).toEqual({ ok: false, error: 'sync.retry.gone' });
  });

  it.each([
    ['a malformed reply', { ok: 'yes' }],
    ['a reply with a URL for a key', { ok: false, error: 'https://crm.example/?token=abc' }],
    ['a success missing its count', { ok: true }],
    ['no reply at all', undefined],
  ])('treats %s as sync.message.failed', async (_what, reply) => {
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue(reply);
    expect(await sendMessage('sync.now', {})).toEqual({ ok: false, error: 'sync.message.failed' });
  });

  it('answers sync.message.failed, not a rejection, when the background is not there', async () => {
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockRejectedValue(new Error('Could not establish connection. Receiving end does not exist.'));
    await expect(sendMessage('sync.nudge', {})).resolves.toEqual({ ok: false, error: 'sync.message.failed' });
  });

  it('does not send a malformed request', async () => {
    const send = vi.spyOn(fakeBrowser.runtime, 'sendMessage');
    expect(await sendMessage('sync.retry', { outboxId: '../../etc' })).toEqual({ ok: false, error: 'sync.message.invalid' });
    expect(send).not.toHaveBeenCalled();
  });
});

describe('messages over the port to the background', () => {
  let stopListening: (() => void) | undefined;
  let ports: ReturnType<typeof fakePorts> | undefined;
  afterEach(() => {
    // Close what a test opened: the page connects afresh in the next one.
    ports?.stopBackground();
    stopListening?.();
    stopListening = undefined;
  });

  it('carries a request to the background and its reply back, on one port for many requests', async () => {
    ports = fakePorts();
    const handlers = spyHandlers();
    stopListening = handlePortMessages(handlers);
    const [a, b] = await Promise.all([sendOverPort('search.cases', { query: 'ana', limit: 25, fresh: false }), sendOverPort('sync.nudge', {})]);
    expect(a).toEqual({ ok: true, query: 'ana', results: [] });
    expect(b).toEqual({ ok: true });
    expect(handlers['search.cases']).toHaveBeenCalledWith({ query: 'ana', limit: 25, fresh: false }, expect.objectContaining({ id: fakeBrowser.runtime.id }));
    expect(ports.opened).toBe(1);
  });

  it('closes a port a content script opens, and runs none of its requests', async () => {
    ports = fakePorts({ sender: { id: fakeBrowser.runtime.id, url: 'https://mail.example.com/inbox' } });
    const handlers = spyHandlers();
    stopListening = handlePortMessages(handlers);
    expect(await sendOverPort('sync.nudge', {})).toEqual({ ok: false, error: 'sync.message.failed' });
    expect(handlers['sync.nudge']).not.toHaveBeenCalled();
  });

  it('answers sync.message.failed for a message the background has no handler for', async () => {
    ports = fakePorts();
    stopListening = handlePortMessages({ 'sync.nudge': () => ({ ok: true }) });
    expect(await sendOverPort('sync.now', {})).toEqual({ ok: false, error: 'sync.message.failed' });
  });

  it('answers sync.message.failed when nothing listens, and when the worker stops before replying', async () => {
    ports = fakePorts();
    expect(await sendOverPort('sync.nudge', {})).toEqual({ ok: false, error: 'sync.message.failed' });

    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    stopListening = handlePortMessages({ 'sync.now': () => (started(), new Promise(() => {})) });
    const pending = sendOverPort('sync.now', {});
    await running;
    ports.stopBackground();
    expect(await pending).toEqual({ ok: false, error: 'sync.message.failed' });
    // The next request connects again.
    stopListening();
    stopListening = handlePortMessages({ 'sync.nudge': () => ({ ok: true }) });
    expect(await sendOverPort('sync.nudge', {})).toEqual({ ok: true });
  });

  it('does not send a malformed request, and treats a malformed reply as failed', async () => {
    ports = fakePorts();
    const handlers = spyHandlers();
    handlers['search.cases'].mockReturnValue({ ok: true, query: 'ana', results: [{ id: 'not an id' }] } as never);
    stopListening = handlePortMessages(handlers);
    expect(await sendOverPort('search.cases', { query: 'ana', limit: 0, fresh: false })).toEqual({ ok: false, error: 'sync.message.invalid' });
    expect(handlers['search.cases']).not.toHaveBeenCalled();
    // The background's own check catches its handler breaking the contract; the page checks again.
    expect(await sendOverPort('search.cases', { query: 'ana', limit: 5, fresh: false })).toEqual({ ok: false, error: 'sync.message.failed' });
  });
});

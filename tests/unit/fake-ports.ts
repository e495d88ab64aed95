/**
 * runtime.connect / runtime.onConnect for unit tests (WXT's fake browser has
 * no ports): a page's port and the background's end of it, delivering each
 * message a task later as a JSON copy, as Chrome does.
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { MessagePort, MessageSender } from '../../lib/messages';

interface End extends MessagePort {
  other?: End;
  closed: boolean;
}

function end(name: string, sender?: MessageSender): End {
  const onMessage: Array<(message: unknown) => void> = [];
  const onDisconnect: Array<() => void> = [];
  const self: End = {
    name,
    sender,
    closed: false,
    postMessage(message) {
      if (self.closed) throw new Error('Attempting to use a disconnected port object');
      const copy = JSON.parse(JSON.stringify(message ?? null));
      setTimeout(() => self.other && !self.other.closed && onMessageOf(self.other).forEach((fn) => fn(copy)));
    },
    disconnect() {
      if (self.closed) return;
      self.closed = true;
      if (self.other && !self.other.closed) {
        self.other.closed = true;
        const other = self.other;
        setTimeout(() => disconnectOf(other).forEach((fn) => fn()));
      }
    },
    onMessage: { addListener: (fn) => onMessage.push(fn) },
    onDisconnect: { addListener: (fn) => onDisconnect.push(fn) },
  };
  listeners.set(self, { onMessage, onDisconnect });
  return self;
}

const listeners = new WeakMap<End, { onMessage: Array<(message: unknown) => void>; onDisconnect: Array<() => void> }>();
const onMessageOf = (port: End) => listeners.get(port)!.onMessage;
const disconnectOf = (port: End) => listeners.get(port)!.onDisconnect;

/**
 * Installs the fake: every runtime.connect from "the page" reaches the
 * background's onConnect listeners with `sender` (the panel by default).
 * With no listener, the page's port closes at once, as Chrome's does when
 * nothing answers.
 */
export function fakePorts(options: { sender?: MessageSender } = {}) {
  const connectListeners: Array<(port: MessagePort) => void> = [];
  const opened: End[] = [];
  const sender = () => options.sender ?? { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') };
  vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation((fn) => void connectListeners.push(fn as never));
  vi.spyOn(fakeBrowser.runtime.onConnect, 'removeListener').mockImplementation((fn) => {
    const at = connectListeners.indexOf(fn as never);
    if (at >= 0) connectListeners.splice(at, 1);
  });
  vi.spyOn(fakeBrowser.runtime, 'connect').mockImplementation(((info?: { name?: string }) => {
    const page = end(info?.name ?? '');
    const background = end(info?.name ?? '', sender());
    page.other = background;
    background.other = page;
    opened.push(page);
    if (connectListeners.length === 0) page.other.disconnect();
    else connectListeners.forEach((fn) => fn(background));
    return page;
  }) as never);
  return {
    /** How many ports pages opened. */
    get opened() {
      return opened.length;
    },
    /** The background goes away (the worker stops): every open port closes. */
    stopBackground() {
      for (const page of opened) page.other?.disconnect();
    },
  };
}

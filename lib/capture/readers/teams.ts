/**
 * Microsoft Teams on the web (teams.microsoft.com, teams.live.com,
 * teams.cloud.microsoft): the open chat's title, its customer (the latest
 * author who is not the agent) and their messages.
 */
import { readText, textOf } from '../text';
import { summariseChat, type ChatMessage } from './chat';
import type { ReaderContext, SiteReader, SiteReading } from './reader';

const HOSTS = ['teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft'];

/**
 * `data-tid` attributes are Teams' test ids, kept for Microsoft's UI tests
 * across restyles (the generated class names are not).
 */
const CHAT_TITLE = '[data-tid="chat-header-title"], [data-tid="chat-title"]';
const MESSAGE_LIST = '[data-tid="message-pane-list-viewport"], [data-tid="message-pane-list"]';
/** One item of the list: author line (first of a run only) and message. */
const ITEM = '[data-tid="chat-pane-item"]';
const AUTHOR = '[data-tid="message-author-name"]';
const MESSAGE = '[data-tid="chat-pane-message"]';
/** The message text: `content-<timestamp>` ids, one per message. */
const CONTENT = 'div[id^="content-"]';
/** The agent's own bubbles: Fluent UI's `ChatMyMessage` component, named by its stable `fui-` class. */
const MY_MESSAGE = '.fui-ChatMyMessage';

function read(doc: Document, ctx: ReaderContext): SiteReading | undefined {
  const list = doc.querySelector(MESSAGE_LIST);
  const chatTitle = textOf(doc.querySelector(CHAT_TITLE), 400) || undefined;
  if (!list) return undefined;
  const messages: ChatMessage[] = Array.from(list.querySelectorAll(ITEM))
    .filter((item) => item.querySelector(MESSAGE))
    .map((item) => {
      const author = item.querySelector(AUTHOR);
      const isMine = item.querySelector(MY_MESSAGE) !== null;
      const content = item.querySelector(CONTENT) ?? item.querySelector(MESSAGE);
      return {
        sender: author ? textOf(author, 400) : undefined,
        // Only a marked bubble is known to be the agent's; an unmarked one inherits from the run.
        isOwn: isMine ? true : undefined,
        text: content ? readText(content, ctx.maxTextLength).text : '',
      };
    });
  if (messages.length === 0) return undefined;
  return { ...summariseChat(messages, ctx, chatTitle), scope: list };
}

export const teamsReader: SiteReader = {
  id: 'teams',
  origin: 'chat',
  matches: (url) => HOSTS.includes(url.hostname),
  recognises: (doc) => doc.querySelector(`${ITEM} ${MESSAGE}`) !== null,
  read,
};

/**
 * Microsoft Teams on the web (teams.microsoft.com, teams.live.com,
 * teams.cloud.microsoft): the open chat's title, its customer (the latest
 * author who is not the agent) and their messages.
 */
import { readChat, type ChatLayout } from './chat';
import type { SiteReader } from './reader';

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

const LAYOUT: ChatLayout = {
  title: CHAT_TITLE,
  list: MESSAGE_LIST,
  item: ITEM,
  requires: MESSAGE,
  sender: AUTHOR,
  text: [CONTENT, MESSAGE],
  own: MY_MESSAGE,
};

export const teamsReader: SiteReader = {
  id: 'teams',
  origin: 'chat',
  matches: (url) => HOSTS.includes(url.hostname),
  recognises: (doc) => doc.querySelector(`${ITEM} ${MESSAGE}`) !== null,
  read: (doc, ctx) => readChat(doc, ctx, LAYOUT),
};

/**
 * Slack (app.slack.com): the open channel or direct message, its customer
 * (the latest sender who is not the agent) and their messages. Slack shows
 * names, not addresses: emails and phones come from the messages' text.
 */
import { readText, textOf } from '../text';
import { summariseChat, type ChatMessage } from './chat';
import type { ReaderContext, SiteReader, SiteReading } from './reader';

/**
 * `data-qa` attributes are Slack's own test hooks: unlike its `c-`/`p-`
 * classes they are kept stable for Slack's end-to-end tests.
 */
const CONVERSATION_NAME = '[data-qa="channel_name"]';
/** The message list of the open conversation (not threads or the sidebar). */
const MESSAGE_PANE = '[data-qa="message_pane"], [data-qa="slack_kit_list"]';
const MESSAGE = '[data-qa="message_container"]';
/** The sender's name on the first message of a run; continuation messages have none. */
const SENDER = '[data-qa="message_sender_name"], .c-message_kit__sender';
const TEXT = '[data-qa="message-text"]';

function read(doc: Document, ctx: ReaderContext): SiteReading | undefined {
  const pane = doc.querySelector(MESSAGE_PANE);
  const conversationName = textOf(doc.querySelector(CONVERSATION_NAME), 400) || undefined;
  if (!pane) return undefined;
  const messages: ChatMessage[] = Array.from(pane.querySelectorAll(MESSAGE)).map((el) => {
    const sender = el.querySelector(SENDER);
    const text = el.querySelector(TEXT);
    return {
      sender: sender ? textOf(sender, 400) : undefined,
      text: text ? readText(text, ctx.maxTextLength).text : '',
    };
  });
  if (messages.length === 0) return undefined;
  return { ...summariseChat(messages, ctx, conversationName), scope: pane };
}

export const slackReader: SiteReader = {
  id: 'slack',
  origin: 'chat',
  matches: (url) => url.hostname === 'app.slack.com' || url.hostname.endsWith('.slack.com'),
  // A message container inside Slack's message list (both are Slack's test hooks).
  recognises: (doc) => Array.from(doc.querySelectorAll(MESSAGE_PANE)).some((pane) => pane.querySelector(MESSAGE) !== null),
  read,
};

/**
 * Slack (app.slack.com): the open channel or direct message, its customer
 * (the latest sender who is not the agent) and their messages. Slack shows
 * names, not addresses: emails and phones come from the messages' text.
 */
import { readChat, type ChatLayout } from './chat';
import type { SiteReader } from './reader';

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

const LAYOUT: ChatLayout = { title: CONVERSATION_NAME, list: MESSAGE_PANE, item: MESSAGE, sender: SENDER, text: [TEXT] };

export const slackReader: SiteReader = {
  id: 'slack',
  origin: 'chat',
  matches: (url) => url.hostname === 'app.slack.com' || url.hostname.endsWith('.slack.com'),
  // A message container inside Slack's message list (both are Slack's test hooks).
  recognises: (doc) => Array.from(doc.querySelectorAll(MESSAGE_PANE)).some((pane) => pane.querySelector(MESSAGE) !== null),
  read: (doc, ctx) => readChat(doc, ctx, LAYOUT),
};

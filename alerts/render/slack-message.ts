import type { IncomingWebhookSendArguments } from '@slack/webhook';
import type { Alert, AlertItem } from '../alert.js';
import { itemSentence } from '../words.js';

type Blocks = NonNullable<IncomingWebhookSendArguments['blocks']>;

/** Slack's limits: a header's text, a section's text, blocks per message. */
const HEADER_CHARS = 150;
const SECTION_CHARS = 3000;
/** Changes listed one per section; the rest are counted and linked (a message stays far below 50 blocks). */
export const SLACK_ITEMS = 10;
const CAUSES = 5;

const SEVERITY_MARK = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' } as const;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack's mrkdwn escapes: &, <, > (the rest is shown as typed). */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function link(base: string, path: string | null, label: string): string {
  return path ? ` · <${base}${path}|${label}>` : '';
}

function itemLine(i: AlertItem, base: string): string {
  return `• ${esc(itemSentence(i))}${link(base, i.explainPath, 'why')}`;
}

const COUNT_WORDS: Record<AlertItem['change'], string> = {
  outside: 'newly reachable from outside addresses',
  'other-namespaces': 'newly reachable from other namespaces',
  added: 'new connections',
  widened: 'widened',
  removed: 'removed',
  narrowed: 'narrowed',
  'policy-deleted': 'policies deleted',
};

/**
 * One Block Kit message for one alert, whatever the number of changes: the header in words,
 * where and when, the cause, the first changes with links to the API's explain, and a count
 * with a link for the rest. `base` is the API's public URL.
 */
export function slackMessage(alert: Alert, base: string): IncomingWebhookSendArguments {
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: cut(alert.summary, HEADER_CHARS), emoji: true } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: cut(
            [
              `${SEVERITY_MARK[alert.rule.severity]} *${alert.rule.severity}*`,
              `cluster *${esc(alert.cluster)}*`,
              alert.snapshot ? `snapshot #${alert.snapshot.id} at ${alert.snapshot.takenAt}` : null,
              `rule \`${esc(alert.rule.name)}\``,
            ]
              .filter(Boolean)
              .join(' · '),
            SECTION_CHARS,
          ),
        },
      ],
    },
  ];
  if (alert.detail)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(esc(alert.detail), SECTION_CHARS) } });
  if (alert.causes.length > 0) {
    const causes = alert.causes
      .slice(0, CAUSES)
      .map((c) => `${c.kind} \`${esc(c.key)}\` ${c.change}`)
      .join(', ');
    const more = alert.causes.length > CAUSES ? ` and ${alert.causes.length - CAUSES} more objects` : '';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(`*Cause:* ${causes}${more}`, SECTION_CHARS) } });
  }
  if (alert.total > 1) {
    const counts = Object.entries(alert.counts)
      .map(([change, n]) => `${n} ${COUNT_WORDS[change as AlertItem['change']]}`)
      .join(', ');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`*${alert.total} changes:* ${counts}`, SECTION_CHARS) },
    });
  }
  if (alert.items.length > 0) blocks.push({ type: 'divider' });
  for (const i of alert.items.slice(0, SLACK_ITEMS)) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(itemLine(i, base), SECTION_CHARS) } });
  }
  const rest = alert.total - Math.min(alert.items.length, SLACK_ITEMS);
  if (rest > 0) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `and ${rest} more${link(base, alert.changesPath, 'list every change in the API')}` },
      ],
    });
  }
  return { text: cut(`${alert.cluster}: ${alert.summary}`, SECTION_CHARS), blocks };
}

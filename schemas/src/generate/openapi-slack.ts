/**
 * Slack's inbound endpoints: not JSON API operations (Slack posts form-encoded bodies and
 * authenticates with a request signature, not a bearer token), documented here so the routes stay
 * the document: `routes-match-openapi.test.ts` sees them and the test control plane checks their answers.
 */

type Ref = (name: string) => unknown;

const signed =
  "Authenticated by Slack's v0 request signature (`X-Slack-Signature`, HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>` with the signing secret of the `slack` integration whose `external_id` is the body's team id), within 5 minutes, each signature once. A forged, stale or replayed call gets 401 and changes nothing.";

/** A Slack answer: a message, `response_action` for a modal, or `{}` (acknowledged). */
const slackAnswer = { description: "Acknowledged (within Slack's 3 s); slow work runs as durable jobs.", content: { 'application/json': { schema: { type: 'object' } } } };

const form = (description: string) => ({
  required: true,
  description,
  content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: { type: 'string' } } } },
});

/** Tag of the Slack endpoints. */
export const slackTags = [{ name: 'slack', description: 'Endpoints Slack calls (HTTP mode of the Slack app): slash command, interactivity, events.' }];

/** The `/slack/*` paths. */
export function slackPaths(ref: Ref): Record<string, unknown> {
  const responses = { '200': slackAnswer, '401': ref('SlackUnauthorized'), '413': ref('PayloadTooLarge') };
  return {
    '/slack/commands': {
      post: {
        tags: ['slack'],
        operationId: 'slack-commands',
        summary: 'The `/sym` slash command',
        description: `\`/sym\` or \`/sym req [flow]\` opens the request modal; \`/sym whoami\`, \`/sym requests\`, \`/sym help\` answer ephemerally. ${signed}`,
        security: [],
        requestBody: form("Slack's slash command payload (`team_id`, `user_id`, `command`, `text`, `trigger_id`, ...)."),
        responses,
      },
    },
    '/slack/interactions': {
      post: {
        tags: ['slack'],
        operationId: 'slack-interactions',
        summary: 'Buttons and modal submissions',
        description: `\`payload\` holds a \`block_actions\` (Approve, Deny, Revoke) or \`view_submission\` (request modal, deny reason) as JSON. A modal with invalid fields gets \`{"response_action":"errors"}\`. ${signed}`,
        security: [],
        requestBody: form('`payload=<JSON>`.'),
        responses,
      },
    },
    '/slack/events': {
      post: {
        tags: ['slack'],
        operationId: 'slack-events',
        summary: 'Events API (URL verification, App Home)',
        description: `Answers \`url_verification\` with its \`challenge\`; \`app_home_opened\` publishes the user's App Home (their latest requests, Revoke on active ones); other events are acknowledged. ${signed}`,
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses,
      },
    },
  };
}

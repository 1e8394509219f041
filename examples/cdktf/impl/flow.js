// Hooks for the CDKTF quickstart flow: requests go to a Slack channel for approval.
import { slack } from 'sym/sdk';

export function get_approvers(event) {
  return slack.channel('#access-requests', { allow_self: false });
}

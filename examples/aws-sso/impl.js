// Hooks of the AWS SSO flow: requests go to the #aws-access Slack channel, where someone other
// than the requester approves them.
import { slack } from 'sym/sdk';

export function get_approvers(event) {
  return slack.channel('#aws-access', { allow_self: false });
}

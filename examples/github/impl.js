// Requests for GitHub access go to #sym-requests for approval; requesters may not approve their own.
import { slack } from 'sym/sdk';

export function get_approvers(event) {
  return slack.channel('#sym-requests', { allow_self: false });
}

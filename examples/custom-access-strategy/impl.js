// Every request for custom access goes to #sym-requests, where the requester may not approve it.
import { slack } from 'sym/sdk';

export function get_approvers(event) {
  return slack.channel('#sym-requests', { allow_self: false });
}

// Impersonation requests from the demo app go to #impersonations, where anyone but the requester
// may approve them.
import { slack } from 'sym/sdk';

export function get_approvers(event) {
  return slack.channel('#impersonations', { allow_self: false });
}

// Impersonation requests go to #impersonations, where anyone can approve them.
import { slack } from 'sym/sdk';

export function get_approvers(event) {
  return slack.channel('#impersonations', { allow_self: false });
}

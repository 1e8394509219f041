// The routing-rules seed's Python hooks, line by line.
import { events, slack, pagerduty } from 'sym/sdk';

export function on_request(req) {
  // Automatically approve requests for free tier customers
  if (req.fields['customer_plan'] === 'free') {
    return events.approval.approve();
  }
}

export function get_approver(req) {
  // If the user is assigned to this account, then they can self-approve.
  if (req.fields['is_assigned']) {
    return slack.user(req.user);
  } else {
    // Otherwise, send the approval to the on-call managers.
    const on_call_mgrs = pagerduty.on_call({ schedule: 'id_of_mgr_on_call' });
    // This would cause each on-call manager to be DMed
    return on_call_mgrs.map((x) => slack.user(x));
  }
}

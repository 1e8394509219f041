// A custom strategy for the CDKTF quickstart: approval alone is the grant, so nothing is called.
import { AccessStrategy } from 'sym/sdk/strategies';

export class QuickstartStrategy extends AccessStrategy {
  fetch_remote_identity(user) {
    return user.email;
  }

  escalate(target_id, event) {}

  deescalate(target_id, event) {}
}

// The custom-access-strategies seed's CustomStrategy, translated from Python.
import { AccessStrategy } from 'sym/sdk/strategies';
import * as requests from 'sym/http';

export class CustomStrategy extends AccessStrategy {
  /**
   * This method determines how to identify this Sym user in the third party system.
   *
   * For this example, we'll use the user's email address.
   */
  fetch_remote_identity(user) {
    return user.email;
  }

  /**
   * This is a helper method to generate the headers needed to authenticate with the
   * third party system. It is not required in all Custom Strategy implementations.
   */
  headers() {
    const secrets = this.integration.settings['secrets'];

    if (!secrets || secrets.length === 0) {
      throw new Error('API key must be set as secret 0 in Terraform');
    }

    const api_key = secrets[0].retrieve_value();
    return { Authorization: `Bearer ${api_key}` };
  }

  /**
   * This method executes after a user's request has been approved. It should elevate
   * their permissions in the third party system.
   */
  escalate(target_id, event) {
    // Get the user's identity in the third party system (in this case, their email).
    const requester = this.get_requester_identity(event);

    // To use the identifier from `sym_target.settings.identifier`, we need to fetch the target object.
    const target_identifier = event.payload.fields['target'].settings['identifier'];

    // Using the user's ID and requested target, make an API call to a third party system to escalate their permissions.
    const payload = {
      user_id: requester,
      resource_id: target_identifier,
    };

    requests.post('https://some-api.invalid/escalate', { headers: this.headers(), json: payload });
  }

  /**
   * This method executes after a user's request has expired, or during a 'Revoke' event.
   * It should deescalate their permissions in the third party system.
   */
  deescalate(target_id, event) {
    // Get the user's identity in the third party system (in this case, their email).
    const requester = this.get_requester_identity(event);

    // To use the identifier from `sym_target.settings.identifier`, we need to fetch the target object.
    const target_identifier = event.payload.fields['target'].settings['identifier'];

    // Using the user's ID and requested target, make an API call to a third party system to deescalate their permissions.
    const payload = {
      user_id: requester,
      resource_id: target_identifier,
    };

    requests.post('https://some-api.invalid/deescalate', { headers: this.headers(), json: payload });
  }
}

// Types for hook and strategy authors: the modules a flow or strategy implementation may import.
// Reference this file (or copy it next to impl.js) and write `// @ts-check` JavaScript, or
// TypeScript that compiles to a plain ES module.
//
// Module-level variables may keep their values between invocations of the same flow or strategy
// version (like a warm serverless function) or start fresh at any time: do not rely on either.

declare module 'sym/sdk' {
  /** JSON data: what hooks receive and return. */
  export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

  /** A Sym user: the requester (`event.user`), an approver, an on-call manager. */
  export interface User {
    id?: string;
    email?: string;
    username?: string;
    first_name?: string;
    last_name?: string;
    /** Identities per service, e.g. `{ slack: 'U123' }`. */
    identities?: Record<string, JsonValue>;
    [key: string]: unknown;
  }

  /** A target as it appears in `event.payload.fields.target`. */
  export interface Target {
    id?: string;
    name?: string;
    label?: string;
    settings: Record<string, JsonValue>;
    [key: string]: unknown;
  }

  /**
   * An integration of the flow's environment (`event.flow.environment.integrations.okta`). Settings
   * that name a secret (`api_token_secret`, ...) are left out: hooks get no door to secret values.
   */
  export interface EnvironmentIntegration {
    id: string;
    name: string | null;
    type: string | null;
    external_id: JsonValue;
    settings: Record<string, JsonValue>;
  }

  /**
   * The flow's environment as Sym gives it to hooks: its name and its integrations by role, the
   * `sym_environment.integrations` key without `_id` (`slack_id` → `integrations.slack`). Read when
   * the hook's source mentions `environment`; a role the environment does not set is absent.
   */
  export interface FlowEnvironment {
    id: string;
    name: string | null;
    integrations: Record<string, EnvironmentIntegration>;
  }

  /** The event every hook, reducer and strategy method receives. */
  export interface Event {
    type?: string;
    user: User;
    payload: {
      /** The request's prompt fields; `duration` is always present in access flows, `target` unless the strategy has no targets. */
      fields: { target?: Target; duration?: number; [name: string]: any };
      [key: string]: unknown;
    };
    /** Shorthand for `payload.fields` (the seed's `req.fields`). */
    readonly fields: Event['payload']['fields'];
    flow: {
      id?: string;
      name?: string;
      environment_id?: string;
      /** Every flow has one (`environment_id` is required, and an environment in use cannot be deleted). */
      environment: FlowEnvironment;
      vars: Record<string, JsonValue>;
      [key: string]: unknown;
    };
    run: { id?: string; actors: Record<string, User>; [key: string]: unknown };
    /** Output of an earlier step (`'request'`, `'approve'`, ...); the latest one without a name. */
    get_step_output(step?: string): JsonValue;
    /**
     * Sym's `get_actor`: the user who did a step (`'request'`, `'approve'`, `'deny'`, ...) of this
     * request, null when nobody has (yet). `'escalate'` and `'deescalate'` answer the approver.
     */
    get_actor(step: string): User | null;
  }

  /** What `on_*` hooks may return to redirect the flow. */
  export type ApprovalEvent = { type: 'approval.approve' } | { type: 'approval.deny'; message: string | null } | { type: 'approval.ignore'; message: string | null };

  export const events: {
    approval: {
      /** Approve the request without asking anyone. */
      approve(): ApprovalEvent;
      /** Deny the request, with a message for the requester. */
      deny(options?: { message?: string }): ApprovalEvent;
      /** Stop processing the request, with a message for the requester. */
      ignore(options?: { message?: string }): ApprovalEvent;
    };
  };

  /** A Slack recipient returned by reducers such as `get_approvers`. */
  export type SlackRecipient =
    | { type: 'slack.user'; user_id?: string; email?: string; slack_id?: string }
    | { type: 'slack.channel'; name: string; allow_self: boolean }
    | { type: 'slack.fallback'; recipients: SlackRecipient[]; continue_on_delivery_failure: boolean };

  export const slack: {
    /** A user by Sym user object, email address or Slack user ID. */
    user(user: User | string): SlackRecipient;
    /** A channel by name (`#access`) or ID; `allow_self` lets requesters approve their own requests there. */
    channel(name: string, options?: { allow_self?: boolean }): SlackRecipient;
    /** Try each recipient in order until one can be reached. */
    fallback(...recipients: Array<SlackRecipient | SlackRecipient[] | { continue_on_delivery_failure?: boolean }>): SlackRecipient;
    /**
     * Posts `text` through the flow's Slack workspace: to a channel (`'#ops'`, `'C123'`), a user
     * (object, email or `'U123'`, as a DM) or a recipient. Synchronous (`await` also works).
     */
    send_message(destination: SlackRecipient | User | string, text: string): null;
  };

  /** One approval-request message and where it goes (`get_request_notifications` returns a list of these). */
  export interface Notification {
    type: 'notification';
    destinations: SlackRecipient[];
  }

  export const notifications: {
    /**
     * Where the approval request message is sent, e.g.
     * `notifications.Notification({ destinations: [slack.channel('#access')] })`. Strings and user
     * objects in `destinations` become `slack.user(...)`. Without `get_request_notifications` the
     * message goes to the approvers (`get_approvers`).
     */
    Notification(options: { destinations: SlackRecipient | Array<SlackRecipient | User | string> }): Notification;
  };

  /** What `get_request_notifications(event)` returns. */
  export type RequestNotificationsReducer = (event: Event) => Notification[] | Promise<Notification[]>;

  export interface ScheduleQuery {
    schedule?: string;
    escalation_policy?: string;
  }

  export const pagerduty: {
    /** Users currently on call for a schedule or escalation policy (synchronous; `await` also works). */
    on_call(query: ScheduleQuery): User[];
    /** Whether a user is on call now. */
    is_on_call(user: User, query?: ScheduleQuery): boolean;
    /** Sym's name for `on_call`: users on call, PagerDuty users matched to OpenSym users by email. */
    users_on_call(query: ScheduleQuery & { schedule_id?: string; escalation_policy_id?: string }): User[];
  };

  /** A secret of the integration; `retrieve_value()` reads it (values never appear in logs). */
  export interface Secret {
    id: string;
    retrieve_value(): string;
    [key: string]: unknown;
  }

  /** The integration a custom strategy works with (`this.integration`). */
  export interface Integration {
    id: string;
    name?: string;
    type?: string;
    external_id?: string;
    settings: { secrets: Secret[]; [key: string]: unknown };
  }

  /** Base class of custom access strategies. */
  export class AccessStrategy {
    constructor(integration: Integration);
    readonly integration: Integration;
    /** How this Sym user is identified in the third-party system. */
    fetch_remote_identity(user: User): JsonValue | Promise<JsonValue>;
    /** The requester's remote identity, cached per user and integration. */
    get_requester_identity(event: Event): JsonValue;
    /** Grants the access after approval; `target_id` is null when the strategy has no targets. */
    escalate(target_id: string | null, event: Event): unknown;
    /** Removes the access at expiry or on revoke; `target_id` is null when the strategy has no targets. */
    deescalate(target_id: string | null, event: Event): unknown;
  }

  export type Hook = (event: Event) => ApprovalEvent | void | Promise<ApprovalEvent | void>;

  // ---- directory helpers (Sym's okta, google and github modules) ------------------------------
  // Each call reads the flow's environment integration (`integrations.okta_id`, `google_id`,
  // `github_id`), counts as one host call and is synchronous (`await` also works). Vendor failures
  // (unknown group, missing permission) throw an error saying what to fix.

  export const okta: {
    /** Whether `user` (by their `okta` identity, else email) is a member of the Okta group; an unknown group throws. */
    is_user_in_group(user: User | string, options: { group_id: string } | string): boolean;
    /** Members of the Okta group as Sym users (matched to OpenSym users by email). */
    users_in_group(options: { group_id: string } | string): User[];
  };

  export const google: {
    /** Whether `user` (by their `google` identity, else email) is a direct or indirect member of the Google group. */
    is_user_in_group(user: User | string, options: { group_email: string } | string): boolean;
    /** User members of the Google group as Sym users (nested groups' users too unless `include_indirect_members: false`). */
    users_in_group(group: { group_email: string; include_indirect_members?: boolean } | string, options?: { include_indirect_members?: boolean }): User[];
  };

  /** GitHub's repository roles, as `get_repo_collaborators` filters them (they are exclusive: an admin is not `write`). */
  export type GitHubRole = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

  export const github: {
    /**
     * Collaborators of `repo_name` (in the integration's organization) holding one of `roles`, as
     * the Sym users whose `github` identity they are; collaborators without one are left out.
     */
    get_repo_collaborators(options: { repo_name: string; roles: GitHubRole[] | Set<GitHubRole> | GitHubRole }): User[];
  };
  // ---- s9-helpers-b: Sym's AWS helpers and exceptions -----------------------------------------

  /** A user to look up in AWS: a Sym user (`event.user`) or an email address. */
  export type AwsUserRef = User | string;

  export const aws_sso: {
    /**
     * Whether the user is a member of the IAM Identity Center group with this display name
     * (through the environment's `aws_sso_id` / `aws_sso_context_id` integration). Unknown group:
     * throws `AWSSSOError`.
     */
    is_user_in_group(user: AwsUserRef, options: { group_name: string }): boolean;
    /**
     * The Sym users in the group: members matched to OpenSym users by their stored `aws_sso`
     * identity, else by email; members without an OpenSym account are left out. At most 20
     * members (as Sym); `AWSSSOError` for an unknown group.
     */
    users_in_group(options: { group_name: string } | string): User[];
  };

  export const aws_iam: {
    /** Whether the user's IAM user is in the IAM group (through the environment's `aws_iam_id` / `aws_iam_context_id` integration). */
    is_user_in_group(user: AwsUserRef, options: { group_name: string }): boolean;
    /**
     * The Sym users in the group: IAM users matched to OpenSym users by their stored `aws_iam`
     * identity, else by a user name that is their email; the others are left out. `AWSIAMError`
     * for an unknown group.
     */
    users_in_group(options: { group_name: string } | string): User[];
  };

  export const aws_lambda: {
    /** Invokes the function and waits (`RequestResponse`): its JSON result. A function error throws `AWSLambdaError`. */
    invoke(arn: string, payload?: JsonValue | Event): any;
    /** Queues an invocation (`InvocationType: Event`) and returns true once Lambda accepted it. */
    invoke_async(arn: string, payload?: JsonValue | Event): boolean;
  };

  /**
   * Sym's base exception. Throw it (or a subclass) from a hook to fail the request with this message,
   * shown as written (secret values redacted): `throw new SymException('Only on-call engineers may request prod')`.
   * Sym's `(error_type, name, message)` form also works.
   */
  export class SymException extends Error {
    constructor(message: string);
    constructor(name: string, message: string);
    constructor(error_type: string, name: string, message: string);
    /** `error_type:name`, e.g. `AWSIAM:API_ERROR`. */
    readonly error_code: string;
    to_dict(): { error: boolean; message: string; code: string };
  }
  /** Errors of the AWS helpers: `(name, message)`. */
  export class AWSError extends SymException {
    constructor(name: string, message: string, error_type?: string);
  }
  export class AWSLambdaError extends AWSError {
    constructor(name: string, message: string);
  }
  export class AWSIAMError extends AWSError {
    constructor(name: string, message: string);
  }
  export class AWSSSOError extends AWSError {
    constructor(name: string, message: string);
  }
}

declare module 'sym/sdk/strategies' {
  export { AccessStrategy, Integration, Secret } from 'sym/sdk';
}

declare module 'sym/sdk/integrations' {
  export { slack, pagerduty, SlackRecipient, ScheduleQuery } from 'sym/sdk';
  export { okta, google, github, GitHubRole } from 'sym/sdk';
  export { aws_sso, aws_iam, aws_lambda } from 'sym/sdk';
}

declare module 'sym/http' {
  import type { JsonValue } from 'sym/sdk';

  export interface RequestOptions {
    headers?: Record<string, string>;
    /** Sent as JSON with `content-type: application/json`. */
    json?: JsonValue;
    /** Added to the URL's query string. */
    params?: Record<string, string | number | boolean>;
    /** Raw body (objects are JSON-encoded). */
    data?: string | JsonValue;
  }

  /** A response; the call is synchronous (like Python's `requests`), and `await` also works. */
  export interface Response {
    status_code: number;
    ok: boolean;
    url: string;
    headers: Record<string, string>;
    text: string;
    json(): any;
    /** Throws an HTTPError unless the status is 2xx. */
    raise_for_status(): void;
  }

  export class HTTPError extends Error {
    status_code: number;
  }

  /** Only hosts allowed by the integration's settings are reachable; others throw `HostDeniedError`. */
  export function get(url: string, options?: RequestOptions): Response;
  export function post(url: string, options?: RequestOptions): Response;
  export function put(url: string, options?: RequestOptions): Response;
  export function patch(url: string, options?: RequestOptions): Response;
  function del(url: string, options?: RequestOptions): Response;
  export { del as delete };

  const requests: {
    get: typeof get;
    post: typeof post;
    put: typeof put;
    patch: typeof patch;
    delete: typeof del;
    HTTPError: typeof HTTPError;
  };
  export default requests;
}

# sym._sdk: Sym's Python SDK inside the sandbox (the Python twin of sdk/guest/core.js). Every
# object a hook returns is plain JSON data in the same shapes as the JavaScript SDK's. The one
# door out is `_host(op, args)`, which the runner installs; it writes a protocol line and reads
# the reply from the engine's standard input.
import json as _json

_host = None  # set by the runner: (op, args) -> value, raising HostError


class SymError(Exception):
    """Base of the errors the SDK raises."""


class HostError(SymError):
    """A host call failed; `code` is host_denied, timeout or host_error."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.sym_code = code


class HostDeniedError(HostError):
    pass


class HostTimeoutError(HostError):
    pass


def _host_error(code, message):
    cls = HostDeniedError if code == "host_denied" else HostTimeoutError if code == "timeout" else HostError
    return cls(code, message)


def call_host(op, args):
    return _host(op, args)


class Record(dict):
    """A JSON object read as attributes too: event.user.email and event.user["email"]."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value


def record_of(text):
    return _json.loads(text, object_hook=Record)


# ---- events ----------------------------------------------------------------------------------
class Event(Record):
    """The event every hook, reducer and strategy method receives."""

    __slots__ = ()

    @property
    def fields(self):
        return self["payload"]["fields"]

    def get_step_output(self, step=None):
        outputs = self.get("step_outputs") or {}
        if step is None:
            names = list(outputs)
            return outputs[names[-1]] if names else None
        return outputs.get(step)


def make_event(data):
    event = Event(data)
    event.setdefault("payload", Record(fields=Record()))
    if not isinstance(event["payload"].get("fields"), dict):
        event["payload"]["fields"] = Record()
    return event


def _approval(kind, message=None, reason=None):
    text = message if message is not None else reason
    result = {"type": "approval." + kind}
    if kind != "approve":
        result["message"] = None if text is None else str(text)
    return Record(result)


class _Approval:
    @staticmethod
    def approve():
        """Approve the request without asking anyone."""
        return _approval("approve")

    @staticmethod
    def deny(message=None, reason=None):
        """Deny the request, with a message for the requester."""
        return _approval("deny", message, reason)

    @staticmethod
    def ignore(message=None, reason=None):
        """Stop processing the request, with a message for the requester."""
        return _approval("ignore", message, reason)


approval = _Approval()


class ApprovalTemplate(_Approval):
    """Sym's `sym.sdk.templates.ApprovalTemplate`: the same approve/deny/ignore events."""


# ---- annotations -----------------------------------------------------------------------------
def hook(fn=None, **_options):
    """Marks a hook (`@hook` or `@hook()`); hooks are found by name either way."""
    if fn is None:
        return lambda f: hook(f)
    fn.__sym_kind__ = "hook"
    return fn


def reducer(fn=None, **_options):
    """Marks a reducer (`@reducer` or `@reducer()`)."""
    if fn is None:
        return lambda f: reducer(f)
    fn.__sym_kind__ = "reducer"
    return fn


def action(fn=None, **_options):
    """Marks an action (accepted for compatibility; actions run like hooks)."""
    if fn is None:
        return lambda f: action(f)
    fn.__sym_kind__ = "action"
    return fn


# ---- integrations: slack ---------------------------------------------------------------------
def _recipient_of(user):
    if isinstance(user, str):
        return {"email": user} if "@" in user else {"slack_id": user}
    if isinstance(user, dict) or hasattr(user, "__dict__"):
        get = user.get if isinstance(user, dict) else (lambda k: getattr(user, k, None))
        out = {}
        if get("id") is not None:
            out["user_id"] = str(get("id"))
        if get("email") is not None:
            out["email"] = str(get("email"))
        identities = get("identities") or {}
        slack_id = identities.get("slack") if isinstance(identities, dict) else None
        if isinstance(slack_id, str):
            out["slack_id"] = slack_id
        elif isinstance(slack_id, dict) and slack_id.get("user_id"):
            out["slack_id"] = str(slack_id["user_id"])
        if out:
            return out
    raise TypeError("slack.user() needs a user, an email address or a Slack user ID")


def slack_user(user):
    """A Slack user by Sym user object, email address or Slack user ID."""
    return Record({"type": "slack.user", **_recipient_of(user)})


def slack_channel(name, allow_self=False):
    """A channel by name (`#access`) or ID; `allow_self` lets requesters approve their own requests there."""
    if not isinstance(name, str) or not name:
        raise TypeError("slack.channel() needs a channel name or ID")
    return Record({"type": "slack.channel", "name": name, "allow_self": bool(allow_self)})


def slack_fallback(*recipients, continue_on_delivery_failure=False):
    """Try each recipient in order until one can be reached."""
    flat = []
    for recipient in recipients:
        flat.extend(recipient if isinstance(recipient, (list, tuple)) else [recipient])
    return Record({"type": "slack.fallback", "recipients": flat, "continue_on_delivery_failure": bool(continue_on_delivery_failure)})


# ---- integrations: pagerduty -----------------------------------------------------------------
def _schedule_query(schedule=None, escalation_policy=None, schedule_id=None, escalation_policy_id=None):
    out = {}
    schedule = schedule if schedule is not None else schedule_id
    policy = escalation_policy if escalation_policy is not None else escalation_policy_id
    if schedule is not None:
        out["schedule"] = str(schedule)
    if policy is not None:
        out["escalation_policy"] = str(policy)
    return out


def pagerduty_on_call(schedule=None, escalation_policy=None, schedule_id=None, escalation_policy_id=None):
    """Users currently on call for a schedule or escalation policy."""
    return call_host("pagerduty.on_call", _schedule_query(schedule, escalation_policy, schedule_id, escalation_policy_id))


def pagerduty_is_on_call(user, schedule=None, escalation_policy=None, schedule_id=None, escalation_policy_id=None):
    """Whether a user is on call now."""
    return call_host("pagerduty.is_on_call", {"user": user, "query": _schedule_query(schedule, escalation_policy, schedule_id, escalation_policy_id)})


# ---- notifications ---------------------------------------------------------------------------
def _destination_of(value):
    if isinstance(value, dict) and isinstance(value.get("type"), str) and value["type"].startswith("slack."):
        return value
    return Record({"type": "slack.user", **_recipient_of(value)})


def Notification(destinations=None):
    """Where the approval request message is sent (for `get_request_notifications`)."""
    if destinations is None:
        raise TypeError('Notification() needs destinations, e.g. [slack.channel("#access")]')
    items = []
    for item in destinations if isinstance(destinations, (list, tuple)) else [destinations]:
        items.extend(item if isinstance(item, (list, tuple)) else [item])
    return Record({"type": "notification", "destinations": [_destination_of(d) for d in items]})


# ---- secrets and strategies ------------------------------------------------------------------
class Secret(Record):
    """A secret of the integration; `retrieve_value()` reads it (values never appear in logs)."""

    __slots__ = ()

    def retrieve_value(self):
        return call_host("secret", {"index": self["__index"]})


def make_integration(data):
    secrets = []
    for index, ref in enumerate(data.get("secrets") or []):
        secret = Secret(ref)
        dict.__setitem__(secret, "__index", index)
        secrets.append(secret)
    integration = Record({k: v for k, v in data.items() if k != "secrets"})
    integration["settings"] = Record({**(data.get("settings") or {}), "secrets": secrets})
    return integration


class AccessStrategy:
    """Base class of custom access strategies (`class CustomStrategy(AccessStrategy)`)."""

    def __init__(self, integration):
        self.integration = integration

    def fetch_remote_identity(self, user):
        raise NotImplementedError(type(self).__name__ + ".fetch_remote_identity is not implemented")

    def get_requester_identity(self, event):
        user = event.user
        user_id = str(user.get("id") if user.get("id") is not None else user.get("email"))
        integration_id = str(self.integration.get("id"))
        cached = call_host("identity.get", {"user_id": user_id, "integration_id": integration_id})
        if cached is not None:
            return cached
        identity = self.fetch_remote_identity(user)
        call_host("identity.set", {"user_id": user_id, "integration_id": integration_id, "identity": identity})
        return identity

    def escalate(self, target_id, event):
        raise NotImplementedError(type(self).__name__ + ".escalate is not implemented")

    def deescalate(self, target_id, event):
        raise NotImplementedError(type(self).__name__ + ".deescalate is not implemented")


# ---- requests --------------------------------------------------------------------------------
class RequestException(IOError):
    """Base of the `requests` errors."""


class HTTPError(RequestException):
    def __init__(self, message, response=None):
        super().__init__(message)
        self.response = response


class ConnectionError(RequestException):  # noqa: A001 - the name requests uses
    pass


class Timeout(RequestException):
    pass


class HostRequestDenied(HostDeniedError, ConnectionError):
    """HTTP to a host the integration does not allow (or the egress rules refuse)."""


class HostRequestTimeout(HostTimeoutError, Timeout):
    pass


class HostRequestFailed(HostError, ConnectionError):
    pass


class Response:
    def __init__(self, data):
        self.status_code = data["status_code"]
        self.ok = bool(data["ok"])
        self.url = data["url"]
        self.headers = Record(data["headers"])
        self.text = data["text"]
        self.content = self.text.encode("utf-8")
        self.reason = ""

    def json(self, **_kwargs):
        return record_of(self.text)

    def raise_for_status(self):
        if not self.ok:
            raise HTTPError("%s error for url: %s" % (self.status_code, self.url), response=self)

    def __repr__(self):
        return "<Response [%s]>" % self.status_code


def request(method, url, params=None, data=None, headers=None, json=None, **_ignored):
    args = {"method": str(method).upper(), "url": str(url)}
    if headers is not None:
        args["headers"] = {str(k): str(v) for k, v in headers.items()}
    if params is not None:
        args["params"] = {str(k): str(v) for k, v in params.items()}
    if json is not None:
        args["json"] = json
    if data is not None:
        args["data"] = data if isinstance(data, str) else _json.dumps(data)
    try:
        return Response(_host("http", args))
    except HostError as error:
        cls = HostRequestDenied if error.code == "host_denied" else HostRequestTimeout if error.code == "timeout" else HostRequestFailed
        raise cls(error.code, str(error)) from None


def get(url, params=None, **kwargs):
    return request("GET", url, params=params, **kwargs)


def post(url, data=None, json=None, **kwargs):
    return request("POST", url, data=data, json=json, **kwargs)


def put(url, data=None, **kwargs):
    return request("PUT", url, data=data, **kwargs)


def patch(url, data=None, **kwargs):
    return request("PATCH", url, data=data, **kwargs)


def delete(url, **kwargs):
    return request("DELETE", url, **kwargs)


# ---- integrations: directory helpers (okta, google, github) ----------------------------------
# Sym's `sym.sdk.integrations.okta/google/github`: each call is one host call the sandbox counts,
# answered from the environment's integration. A vendor failure raises OktaError, GoogleError or
# GitHubError (also HostError subclasses) with a message that says what to fix.
class OktaError(HostError):
    """An Okta lookup failed (unknown group, missing permission, ...)."""


class GoogleError(HostError):
    """A Google Workspace lookup failed."""


class GitHubError(HostError):
    """A GitHub lookup failed."""


def _directory_call(op, args, error_cls):
    try:
        return call_host(op, args)
    except HostError as error:
        if error.code != "host_error":
            raise
        raise error_cls(error.code, str(error)) from None


def okta_is_user_in_group(user, *, group_id):
    """Whether the user is a member of the Okta group `group_id`; an unknown group raises OktaError."""
    return _directory_call("okta.is_user_in_group", {"user": user, "group_id": group_id}, OktaError)


def okta_users_in_group(*, group_id):
    """Members of the Okta group as Sym users (matched by email)."""
    return _directory_call("okta.users_in_group", {"group_id": group_id}, OktaError)


def google_is_user_in_group(user, *, group_email):
    """Whether the user is a direct or indirect member of the Google group."""
    return _directory_call("google.is_user_in_group", {"user": user, "group_email": group_email}, GoogleError)


def google_users_in_group(group_email, *, include_indirect_members=True):
    """User members of the Google group as Sym users."""
    return _directory_call("google.users_in_group", {"group_email": group_email, "include_indirect_members": bool(include_indirect_members)}, GoogleError)


def github_get_repo_collaborators(*, repo_name, roles):
    """Collaborators of the repository with one of `roles`, as the Sym users whose GitHub identity they are."""
    roles = [roles] if isinstance(roles, str) else list(roles)
    return _directory_call("github.get_repo_collaborators", {"repo_name": repo_name, "roles": roles}, GitHubError)
# ==== s9-helpers-b: slack.send_message, pagerduty.users_on_call, get_actor, exceptions, AWS ====
def slack_send_message(destination, text):
    """Posts `text` through the flow's Slack workspace: to a channel ("#ops", "C123"), a user or a recipient."""
    if not isinstance(text, str) or not text:
        raise TypeError("slack.send_message() needs a message text")
    is_channel = isinstance(destination, str) and (destination.startswith("#") or (len(destination) > 1 and destination[0] in "CG" and destination[1:].isalnum() and destination.isupper()))
    to = slack_channel(destination) if is_channel else _destination_of(destination)
    return call_host("slack.send_message", {"destination": to, "text": text})


def pagerduty_users_on_call(schedule=None, escalation_policy=None, schedule_id=None, escalation_policy_id=None):
    """Sym's name for `on_call`: users on call, PagerDuty users matched to OpenSym users by email."""
    return call_host("pagerduty.on_call", _schedule_query(schedule, escalation_policy, schedule_id, escalation_policy_id))


def _get_actor(self, event_name):
    """Sym's `get_actor`: the user who did a step; escalate/deescalate were set off by the approver."""
    actors = (self.get("run") or {}).get("actors") or {}
    name = str(event_name)
    if name in actors:
        return actors[name]
    if name in ("escalate", "deescalate") and "approve" in actors:
        return actors["approve"]
    return None


Event.get_actor = _get_actor


class SymException(Exception):
    """Sym's base exception: raise it from a hook to fail the request with this message, as written.

    `SymException(message)`, or Sym's `SymException(error_type, name, message)`.
    """

    sym_code = "hook_exception"

    def __init__(self, *args, **kwargs):
        error_type = kwargs.get("error_type")
        name = kwargs.get("name")
        message = kwargs.get("message")
        if message is None:
            message = args[-1] if args else ""
            if len(args) >= 3:
                error_type, name = args[0], args[1]
            elif len(args) == 2:
                name = args[0]
        self.message = "" if message is None else str(message)
        self.error_code = "%s:%s" % (error_type or "Hook", name or "ERROR")
        super().__init__(self.message)

    def to_dict(self):
        return {"error": True, "message": self.message, "code": self.error_code}


class AWSError(SymException):
    def __init__(self, name, message, error_type="AWS"):
        super().__init__(error_type, name, message)


class AWSLambdaError(AWSError):
    def __init__(self, name, message):
        super().__init__(name, message, "AWSLambda")


class AWSIAMError(AWSError):
    def __init__(self, name, message):
        super().__init__(name, message, "AWSIAM")


class AWSSSOError(AWSError):
    def __init__(self, name, message):
        super().__init__(name, message, "AWSSSO")


def _aws_user(user, fn):
    if isinstance(user, str) and user:
        return {"email": user}
    if isinstance(user, dict):
        out = {}
        if user.get("id") is not None:
            out["id"] = str(user["id"])
        if user.get("email") is not None:
            out["email"] = str(user["email"])
        if isinstance(user.get("identities"), dict):
            out["identities"] = user["identities"]
        if out.get("id") is not None or out.get("email") is not None:
            return out
    raise TypeError(fn + "() needs a user (event.user) or an email address")


def _group(group_name, fn):
    if not isinstance(group_name, str) or not group_name:
        raise TypeError(fn + "() needs group_name")
    return group_name


def _vendor_call(op, args, failure):
    # A vendor failure (the host says what to fix) becomes Sym's error class for that service;
    # denied and timed-out host calls (limits, missing doors) keep their own errors.
    try:
        return call_host(op, args)
    except HostError as error:
        if error.code == "host_error":
            raise failure("API_ERROR", str(error)) from None
        raise


def aws_sso_is_user_in_group(user, *, group_name):
    """Whether the user is a member of the IAM Identity Center group with this display name."""
    fn = "aws_sso.is_user_in_group"
    return _vendor_call("aws_sso.is_user_in_group", {"user": _aws_user(user, fn), "group_name": _group(group_name, fn)}, AWSSSOError)


def aws_sso_users_in_group(group_name):
    """The Sym users in the IAM Identity Center group with this display name (members without an account left out)."""
    return _vendor_call("aws_sso.users_in_group", {"group_name": _group(group_name, "aws_sso.users_in_group")}, AWSSSOError)


def aws_iam_is_user_in_group(user, *, group_name):
    """Whether the user's IAM user is a member of the IAM group."""
    fn = "aws_iam.is_user_in_group"
    return _vendor_call("aws_iam.is_user_in_group", {"user": _aws_user(user, fn), "group_name": _group(group_name, fn)}, AWSIAMError)


def aws_iam_users_in_group(group_name):
    """The Sym users whose IAM user is in the IAM group (members without an account left out)."""
    return _vendor_call("aws_iam.users_in_group", {"group_name": _group(group_name, "aws_iam.users_in_group")}, AWSIAMError)


def _lambda_args(arn, payload, fn):
    if not isinstance(arn, str) or not arn:
        raise TypeError(fn + "() needs the function ARN")
    return {"arn": arn, "payload": {} if payload is None else payload}


def aws_lambda_invoke(arn, payload=None):
    """Invokes the function and waits (RequestResponse); returns its JSON result."""
    return _vendor_call("aws_lambda.invoke", {**_lambda_args(arn, payload, "aws_lambda.invoke"), "async": False}, AWSLambdaError)


def aws_lambda_invoke_async(arn, payload=None):
    """Queues an invocation (InvocationType Event); True once Lambda accepted it."""
    return _vendor_call("aws_lambda.invoke", {**_lambda_args(arn, payload, "aws_lambda.invoke_async"), "async": True}, AWSLambdaError)

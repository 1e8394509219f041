# The sandbox's Python runner: started once per interpreter with BOOT (the SDK source and the
# rules) in its globals. It builds the `sym.*` and `requests` modules, preloads the standard
# modules hooks may import, then serves jobs read from standard input, one JSON line each.
# The import guard and the trimmed builtins are the *policy* (what Sym allows); the isolation
# itself is the WASI layer, which gives the interpreter no files, sockets, processes or
# environment whatever Python code manages to reach (DECISIONS.md §8).
import builtins
import json
import os
import sys
import types

_readline = sys.stdin.buffer.readline
_write = os.write
_dumps = json.dumps
_loads = json.loads


def _send(message):
    _write(1, (_dumps(message, ensure_ascii=True) + "\n").encode("ascii"))


# ---- the SDK modules -----------------------------------------------------------------------
def _module(name, attrs, package=False):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    if package:
        module.__path__ = []
    sys.modules[name] = module
    return module


sdk = _module("sym._sdk", {"__builtins__": builtins})
exec(compile(BOOT["sdk"], "sym/_sdk.py", "exec"), sdk.__dict__)


def _host(op, args):
    _send({"t": "host", "op": op, "args": _dumps(args, ensure_ascii=False)})
    reply = _loads(_readline(), object_hook=sdk.Record)
    if reply.get("ok"):
        return reply.get("value")
    raise sdk._host_error(reply.get("code"), reply.get("message"))


sdk._host = _host

slack = _module("sym.sdk.integrations.slack", {"user": sdk.slack_user, "channel": sdk.slack_channel, "fallback": sdk.slack_fallback})
pagerduty = _module("sym.sdk.integrations.pagerduty", {"on_call": sdk.pagerduty_on_call, "is_on_call": sdk.pagerduty_is_on_call})
integrations = _module("sym.sdk.integrations", {"slack": slack, "pagerduty": pagerduty}, package=True)
events = _module("sym.sdk.events", {"approval": sdk.approval, "Event": sdk.Event})
annotations = _module("sym.sdk.annotations", {"hook": sdk.hook, "reducer": sdk.reducer, "action": sdk.action})
strategies = _module("sym.sdk.strategies", {"AccessStrategy": sdk.AccessStrategy})
templates = _module("sym.sdk.templates", {"ApprovalTemplate": sdk.ApprovalTemplate})
notifications = _module("sym.sdk.notifications", {"Notification": sdk.Notification})
secrets = _module("sym.sdk.secrets", {"Secret": sdk.Secret})
exceptions = _module("sym.sdk.exceptions", {"SymError": sdk.SymError, "HostError": sdk.HostError, "HostDeniedError": sdk.HostDeniedError, "HostTimeoutError": sdk.HostTimeoutError})
sym_sdk = _module(
    "sym.sdk",
    {
        "annotations": annotations,
        "events": events,
        "integrations": integrations,
        "strategies": strategies,
        "templates": templates,
        "notifications": notifications,
        "secrets": secrets,
        "exceptions": exceptions,
        "slack": slack,
        "pagerduty": pagerduty,
        "AccessStrategy": sdk.AccessStrategy,
        "Notification": sdk.Notification,
        "Secret": sdk.Secret,
        "hook": sdk.hook,
        "reducer": sdk.reducer,
    },
    package=True,
)
# The older paths Sym's guides still use (`from sym import events`, `sym.annotations`, `sym.integrations`).
sym_integrations = _module("sym.integrations", {"slack": slack, "pagerduty": pagerduty}, package=True)
sys.modules["sym.integrations.slack"] = slack
sys.modules["sym.integrations.pagerduty"] = pagerduty
sys.modules["sym.events"] = events
sys.modules["sym.annotations"] = annotations
sys.modules["sym.strategies"] = strategies
sys.modules["sym.templates"] = templates
sys.modules["sym.notifications"] = notifications
sym = _module(
    "sym",
    {"sdk": sym_sdk, "events": events, "annotations": annotations, "integrations": sym_integrations, "strategies": strategies, "templates": templates, "notifications": notifications},
    package=True,
)
# ---- directory helpers (okta, google, github): the end of sdk.py --------------------------------
okta = _module("sym.sdk.integrations.okta", {"is_user_in_group": sdk.okta_is_user_in_group, "users_in_group": sdk.okta_users_in_group, "OktaError": sdk.OktaError})
google = _module("sym.sdk.integrations.google", {"is_user_in_group": sdk.google_is_user_in_group, "users_in_group": sdk.google_users_in_group, "GoogleError": sdk.GoogleError})
github = _module("sym.sdk.integrations.github", {"get_repo_collaborators": sdk.github_get_repo_collaborators, "GitHubError": sdk.GitHubError})
for _vendor in (okta, google, github):
    _short = _vendor.__name__.rsplit(".", 1)[1]
    setattr(integrations, _short, _vendor)
    setattr(sym_integrations, _short, _vendor)
    setattr(sym_sdk, _short, _vendor)
    sys.modules["sym.integrations." + _short] = _vendor
for _error in (sdk.OktaError, sdk.GoogleError, sdk.GitHubError):
    setattr(exceptions, _error.__name__, _error)
del _vendor, _short, _error

requests_exceptions = _module(
    "requests.exceptions",
    {"RequestException": sdk.RequestException, "HTTPError": sdk.HTTPError, "ConnectionError": sdk.ConnectionError, "Timeout": sdk.Timeout},
)
requests = _module(
    "requests",
    {
        "request": sdk.request,
        "get": sdk.get,
        "post": sdk.post,
        "put": sdk.put,
        "patch": sdk.patch,
        "delete": sdk.delete,
        "Response": sdk.Response,
        "exceptions": requests_exceptions,
        "RequestException": sdk.RequestException,
        "HTTPError": sdk.HTTPError,
        "ConnectionError": sdk.ConnectionError,
        "Timeout": sdk.Timeout,
    },
    package=True,
)

# ---- s9-helpers-b: Sym's AWS helpers, exceptions, slack.send_message, pagerduty.users_on_call ----
slack.send_message = sdk.slack_send_message
pagerduty.users_on_call = sdk.pagerduty_users_on_call
aws_sso = _module("sym.sdk.integrations.aws_sso", {"is_user_in_group": sdk.aws_sso_is_user_in_group, "users_in_group": sdk.aws_sso_users_in_group, "AWSSSOError": sdk.AWSSSOError})
aws_iam = _module("sym.sdk.integrations.aws_iam", {"is_user_in_group": sdk.aws_iam_is_user_in_group, "users_in_group": sdk.aws_iam_users_in_group, "AWSIAMError": sdk.AWSIAMError})
aws_lambda = _module("sym.sdk.integrations.aws_lambda", {"invoke": sdk.aws_lambda_invoke, "invoke_async": sdk.aws_lambda_invoke_async, "AWSLambdaError": sdk.AWSLambdaError})
_aws_exceptions = {"SymException": sdk.SymException, "AWSError": sdk.AWSError, "AWSLambdaError": sdk.AWSLambdaError, "AWSIAMError": sdk.AWSIAMError, "AWSSSOError": sdk.AWSSSOError}
exceptions.__dict__.update(_aws_exceptions)
exceptions.__path__ = []
_module("sym.sdk.exceptions.aws", {k: v for k, v in _aws_exceptions.items() if k != "SymException"})
_module("sym.sdk.exceptions.sym_exception", {"SymException": sdk.SymException})
for _package in (integrations, sym_integrations):
    _package.aws_sso, _package.aws_iam, _package.aws_lambda = aws_sso, aws_iam, aws_lambda
sys.modules["sym.integrations.aws_sso"] = aws_sso
sys.modules["sym.integrations.aws_iam"] = aws_iam
sys.modules["sym.integrations.aws_lambda"] = aws_lambda

# ---- what user code may import -------------------------------------------------------------
ALLOWED = frozenset(BOOT["allowed"])
for _name in BOOT["preload"]:
    __import__(_name)
_real_import = builtins.__import__
_forbidden = []


class ForbiddenImport(ImportError):
    pass


def _is_library(globals_):
    # Standard-library and SDK modules import lazily inside their functions; their globals are
    # the dict of a module in sys.modules. User modules are never registered there.
    if not isinstance(globals_, dict):
        return False
    module = sys.modules.get(globals_.get("__name__"))
    return module is not None and getattr(module, "__dict__", None) is globals_


def _allowed(name):
    # The SDK's packages with any public submodule; `sym._sdk` and the like stay internal.
    if name.startswith(("sym.", "requests.")):
        return not any(part.startswith("_") for part in name.split("."))
    return name in ALLOWED


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if _is_library(globals):
        return _real_import(name, globals, locals, fromlist, level)
    if level != 0 or not _allowed(name):
        shown = ("." * level) + name
        _forbidden.append(shown)
        raise ForbiddenImport('module "%s" is not available in the sandbox; allowed modules are %s' % (shown, BOOT["allowedText"]))
    return _real_import(name, globals, locals, fromlist, level)


builtins.__import__ = _guarded_import
_REMOVED = ("open", "exec", "eval", "compile", "input", "breakpoint", "help", "exit", "quit", "copyright", "credits", "license")
USER_BUILTINS = {k: v for k, v in builtins.__dict__.items() if k not in _REMOVED}


class _LogStream:
    def __init__(self, level):
        self.level = level
        self.buffer = ""

    def write(self, text):
        self.buffer += str(text)
        while "\n" in self.buffer:
            line, self.buffer = self.buffer.split("\n", 1)
            _send({"t": "log", "level": self.level, "message": line[:8192]})
        return len(text)

    def flush(self):
        if self.buffer:
            _send({"t": "log", "level": self.level, "message": self.buffer[:8192]})
            self.buffer = ""


sys.stdout = _LogStream("log")
sys.stderr = _LogStream("error")

# ---- jobs -----------------------------------------------------------------------------------
_warm = {}  # key -> module namespace, only after clean invocations (DECISIONS.md §5)
MAX_WARM = 8


def _load(job):
    key = None
    if job.get("reuseScope"):
        # The source itself is part of the key: a changed implementation never meets an old module.
        key = (job["reuseScope"], job["filename"], job["source"])
        namespace = _warm.pop(key, None)
        if namespace is not None:
            return key, namespace
    namespace = {"__name__": "__sym_impl__", "__builtins__": USER_BUILTINS, "__file__": job["filename"]}
    code = compile(job["source"], job["filename"], "exec", dont_inherit=True)
    exec(code, namespace)
    return key, namespace


class _Fail(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _strategy_class(namespace, class_name):
    found = [
        (name, value)
        for name, value in namespace.items()
        if isinstance(value, type) and issubclass(value, sdk.AccessStrategy) and value is not sdk.AccessStrategy and value.__module__ == "__sym_impl__"
    ]
    if class_name:
        for name, value in found:
            if name == class_name:
                return value
        raise TypeError("the module defines no AccessStrategy subclass named " + class_name)
    if not found:
        raise TypeError("the module defines no class extending AccessStrategy")
    if len(found) > 1:
        raise TypeError("the module defines several AccessStrategy classes: " + ", ".join(n for n, _ in found))
    return found[0][1]


def _to_json(value):
    if isinstance(value, (set, frozenset)):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def _invoke(namespace, call):
    kind = call["kind"]
    if kind == "hook":
        fn = namespace.get(call["name"])
        if not callable(fn) or isinstance(fn, type):
            raise _Fail("missing_export", "the module defines no function named " + call["name"])
        if call.get("args") is None:
            return fn(sdk.make_event(call["event"]))
        # Reducers with more arguments: get_identity(event, service_type, external_id, user), a
        # flows filter's get_flows(user, flows, flow_vars) (no event). One declaring fewer
        # parameters (get_flows(user, flows)) gets the first ones.
        args = list(call["args"])
        if call.get("event") is not None:
            args.insert(0, sdk.make_event(call["event"]))
        code = getattr(fn, "__code__", None)
        if code is not None and not code.co_flags & 0x04:
            args = args[: code.co_argcount]
        return fn(*args)
    cls = _strategy_class(namespace, call.get("className"))
    strategy = cls(sdk.make_integration(call["integration"]))
    event = sdk.make_event(call["event"])
    if kind == "identity":
        return strategy.get_requester_identity(event)
    method = getattr(strategy, call["method"], None)
    if not callable(method):
        raise TypeError(cls.__name__ + " has no method " + call["method"])
    return method(call.get("targetId"), event)


def _user_line(tb, filename):
    # Walked by hand: traceback.extract_tb would look up every frame's source line (1,000 frames
    # of a RecursionError, each a failed file lookup).
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _classify(error):
    if isinstance(error, _Fail):
        return error.code
    if isinstance(error, MemoryError):
        return "memory"
    if isinstance(error, RecursionError):
        return "stack"
    if isinstance(error, ForbiddenImport):
        return "forbidden_import"
    code = getattr(error, "sym_code", None)
    if code in ("host_denied", "timeout", "hook_exception"):
        return code
    return "runtime"


def _run(job):
    del _forbidden[:]
    key = None
    try:
        key, namespace = _load(job)
    except SyntaxError as error:
        return {"t": "done", "ok": False, "code": "syntax", "message": "%s: %s" % (type(error).__name__, error.msg), "stack": "", "line": error.lineno or 1, "column": error.offset or 1}
    except BaseException as error:  # noqa: BLE001 - every failure of user code is reported
        return _failure(error, job, "module")
    try:
        result = _invoke(namespace, job["call"])
        text = None if result is None else _dumps(result, default=_to_json, ensure_ascii=False, allow_nan=False)
    except BaseException as error:  # noqa: BLE001
        return _failure(error, job, "call")
    if text is not None and len(text.encode("utf-8", "surrogatepass")) > job["maxResultBytes"]:
        size = len(text.encode("utf-8", "surrogatepass"))
        return {"t": "done", "ok": False, "code": "result_too_large", "message": "the result is %d bytes of JSON; the limit is %d" % (size, job["maxResultBytes"]), "stack": ""}
    if key is not None:
        _warm[key] = namespace
        while len(_warm) > MAX_WARM:
            _warm.pop(next(iter(_warm)))
    return {"t": "done", "ok": True, "json": text}


def _failure(error, job, phase):
    code = _classify(error)
    if code == "runtime" and isinstance(error, (TypeError, ValueError, OverflowError)) and phase == "call" and "JSON serializable" in str(error):
        message = "the result is not JSON-serialisable: %s" % error
    else:
        message = "%s: %s" % (type(error).__name__, error) if code not in ("missing_export", "forbidden_import", "hook_exception") else str(error)
    if code == "memory":
        message = "the hook ran out of memory (MemoryError)"
    elif code == "stack":
        message = "the hook exceeded the maximum recursion depth (too much recursion)"
    try:
        traceback = _real_import("traceback")
        stack = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=20))[-8192:]
    except BaseException:  # noqa: BLE001 - a hostile __str__ must not break reporting
        stack = ""
    out = {"t": "done", "ok": False, "code": code, "message": message[:4096], "stack": stack}
    line = _user_line(error.__traceback__, job["filename"])
    if line is not None:
        out["line"] = line
    if _forbidden:
        out["forbidden"] = list(dict.fromkeys(_forbidden))
    return out


# ---- plan-time checks (nothing of the user's code runs) ------------------------------------
def _decorator_name(node):
    node = getattr(node, "func", node)
    return _base_name(node)


def _base_name(node):
    return getattr(node, "attr", None) or getattr(node, "id", None)


def _check(job):
    ast = _real_import("ast")
    problems = []
    source, filename, kind = job["source"], job["filename"], job["checkKind"]
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as error:
        return [{"line": error.lineno or 1, "column": error.offset or 1, "message": "SyntaxError: %s" % error.msg}]
    except (ValueError, MemoryError, RecursionError) as error:
        return [{"line": 1, "column": 1, "message": "%s: %s" % (type(error).__name__, error)}]

    def add(node, message):
        problems.append({"line": getattr(node, "lineno", 1), "column": getattr(node, "col_offset", 0) + 1, "message": message})

    allowed_text = BOOT["allowedText"]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not _allowed(alias.name):
                    add(node, 'module "%s" is not available in the sandbox; allowed modules are %s' % (alias.name, allowed_text))
        elif isinstance(node, ast.ImportFrom):
            name = ("." * node.level) + (node.module or "")
            if node.level or not _allowed(node.module or ""):
                add(node, 'module "%s" is not available in the sandbox; allowed modules are %s' % (name, allowed_text))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _REMOVED + ("__import__",):
            add(node, "%s() is not available in the sandbox" % node.func.id)
    names = job.get("hookNames")
    if kind == "strategy":
        found = [n for n in tree.body if isinstance(n, ast.ClassDef) and any(_base_name(b) == "AccessStrategy" for b in n.bases)]
        if not found:
            add(tree.body[0] if tree.body else tree, "a strategy implementation must define a class extending AccessStrategy (from sym.sdk.strategies import AccessStrategy)")
        for cls in found:
            defined = {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            for method in ("escalate", "deescalate"):
                if method not in defined:
                    add(cls, "strategy class %s must implement %s(self, target_id, event)" % (cls.name, method))
    elif names:
        what = "a flows filter" if kind == "flows-filter" else "a flow implementation"
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(_decorator_name(d) in ("hook", "reducer") for d in node.decorator_list):
                if node.name not in names:
                    add(node, 'unknown hook "%s": %s may define only %s' % (node.name, what, ", ".join(names)))
    problems.sort(key=lambda p: (p["line"], p["column"]))
    return problems


def _serve():
    _send({"t": "ready"})
    while True:
        line = _readline()
        if not line:
            return
        job = _loads(line, object_hook=sdk.Record)["job"]
        if job["mode"] == "check":
            out = {"t": "done", "ok": True, "json": _dumps(_check(job))}
        else:
            out = _run(job)
        sys.stdout.flush()
        sys.stderr.flush()
        _send(out)


_serve()

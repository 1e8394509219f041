"""Schemathesis hooks for the API fuzz suite (schemathesis.test.ts).

The run authenticates with one admin bot token from start to end. Its stateful phase follows
`GET /api/v1/tokens` into `DELETE /api/v1/tokens/{id}`, which would revoke that very token and
turn every later call into a 401. A call that would revoke the run's own token is sent for an id
that names no token instead (404, as for any unknown id); every other token, including the ones
the run issues itself, is revoked for real.
"""

import os
import sys
import uuid

import schemathesis

OWN_TOKEN_ID = os.environ["OPENSYM_FUZZ_TOKEN_ID"].lower()


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.method.upper() != "DELETE" or case.operation.path != "/api/v1/tokens/{id}":
        return
    token_id = (case.path_parameters or {}).get("id")
    if isinstance(token_id, str) and token_id.strip().lower() == OWN_TOKEN_ID:
        case.path_parameters = {**case.path_parameters, "id": str(uuid.uuid4())}
        print("opensym hooks: kept the run's own token from being revoked", file=sys.stderr)

"""Signs and verifies webhook requests with the official svix package, for the tests of
clerk-api (an implementation independent of the crate's own).

Reads one JSON request on stdin and writes one JSON answer on stdout:
  {"sign": [{"secret", "id", "timestamp", "body"}, ...]}  -> {"signatures": ["v1,...", ...]}
  {"verify": [{"secret", "headers", "body"}, ...]}        -> {"results": ["ok" or the error, ...]}
"""

import json
import sys
from datetime import datetime, timezone

from svix.webhooks import Webhook


def sign(case):
    when = datetime.fromtimestamp(case["timestamp"], tz=timezone.utc)
    return Webhook(case["secret"]).sign(case["id"], when, case["body"])


def verify(case):
    try:
        Webhook(case["secret"]).verify(case["body"], case["headers"])
        return "ok"
    except Exception as e:  # the answer names whatever svix refused with
        return f"{type(e).__name__}: {e}"


request = json.load(sys.stdin)
if "sign" in request:
    answer = {"signatures": [sign(case) for case in request["sign"]]}
else:
    answer = {"results": [verify(case) for case in request["verify"]]}
json.dump(answer, sys.stdout)

"""Checks HTTP answers against the response schemas of an OpenAPI 3.0 document with
openapi-schema-validator (PyPI; an implementation independent of clerk-api's decoder),
for the conformance test of clerk_api::testing::FakeClerk.

Reads one JSON request on stdin and writes one JSON answer on stdout:
  {"spec": <the OpenAPI document>, "answers": [{"operation_id", "status", "body"}, ...]}
  -> {"results": [{"documented": bool, "schema": "<where>", "errors": ["...", ...]}, ...]}

An answer is checked against its operation's response for its status; an error status
the operation does not document is checked against ClerkErrors (documented: false).
"""

import json
import sys

from openapi_schema_validator import OAS30Validator


def operations(spec):
    found = {}
    for path_item in spec["paths"].values():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found[operation["operationId"]] = operation
    return found


def resolve(spec, node):
    while "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def schema_for(spec, operation, status):
    responses = operation.get("responses", {})
    response = responses.get(str(status)) or responses.get("default")
    if response is None:
        if status < 400:
            return False, None, None
        return False, "#/components/schemas/ClerkErrors", {"$ref": "#/components/schemas/ClerkErrors"}
    where = response.get("$ref", f"{operation['operationId']} {status}")
    content = resolve(spec, response).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return True, where, schema


def check(spec, known, answer):
    operation = known.get(answer["operation_id"])
    if operation is None:
        return {"documented": False, "schema": None, "errors": [f"no operation {answer['operation_id']} in the spec"]}
    documented, where, schema = schema_for(spec, operation, answer["status"])
    if schema is None:
        return {"documented": documented, "schema": where, "errors": [f"no JSON schema for status {answer['status']}"]}
    # The components travel with the schema, so its "#/components/..." references resolve.
    validator = OAS30Validator(dict(schema, components=spec["components"]))
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(answer["body"])]
    return {"documented": documented, "schema": where, "errors": errors}


request = json.load(sys.stdin)
spec = request["spec"]
known = operations(spec)
json.dump({"results": [check(spec, known, a) for a in request["answers"]]}, sys.stdout)

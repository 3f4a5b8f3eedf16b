#!/usr/bin/python3
"""Validates every JSON answer the e2e suite received against the OpenAPI document.

usage: check_answers.py OPENAPI.json ANSWERS.jsonl

ANSWERS.jsonl holds one {"method", "target", "status", "content_type", "body"}
a line (tests/e2e/harness.cpp writes it). Each answer must belong to a
documented operation, with a documented status, and its body must match that
response's schema (python3-jsonschema, JSON Schema 2020-12 as OpenAPI 3.1 uses).
A route the document does not have is fine only for a problem answer (404/405).
"""
import json
import re
import sys

import jsonschema


def path_regex(template):
    parts = re.split(r"(\{[^}]+\})", template)
    out = ""
    for part in parts:
        if part.startswith("{"):
            out += r"[^/]+"
        else:
            out += re.escape(part)
    return re.compile("^" + out + "$")


def main():
    document = json.load(open(sys.argv[1]))
    try:
        lines = open(sys.argv[2]).read().splitlines()
    except FileNotFoundError:
        lines = []
    routes = [(path_regex(p), p, item) for p, item in document["paths"].items()]
    # Literal paths win over templated ones (/v1/availability/days over {id}).
    routes.sort(key=lambda r: r[1].count("{"))
    components = document.get("components", {})
    validators = {}

    def validator(schema):
        key = json.dumps(schema, sort_keys=True)
        if key not in validators:
            root = dict(schema)
            root["components"] = components
            validators[key] = jsonschema.Draft202012Validator(root)
        return validators[key]

    problem = components["schemas"]["Problem"]
    failures, checked, seen = [], 0, set()
    for line in lines:
        answer = json.loads(line)
        method, target, status = answer["method"].lower(), answer["target"], answer["status"]
        path = target.split("?", 1)[0]
        try:
            body = json.loads(answer["body"]) if answer["body"] else None
        except ValueError:
            failures.append(f"{method.upper()} {target} {status}: body is not JSON")
            continue
        route = next((r for r in routes if r[0].match(path) and method in r[2]), None)
        if route is None and status < 400 and not path.startswith("/v1/"):
            continue  # a file of the booking site (SPEC §7), e.g. /assets/strings.json: not the API
        if route is None:
            if status in (404, 405) or not any(r[0].match(path) for r in routes):
                schema = problem
            else:
                failures.append(f"{method.upper()} {path}: no such operation in the document")
                continue
            responses = {str(status): {"content": {answer["content_type"].split(";")[0]:
                                                   {"schema": schema}}}}
            template = "(unknown route)"
        else:
            responses = route[2][method]["responses"]
            template = route[1]
        response = responses.get(str(status)) or responses.get("default")
        if response is None:
            failures.append(f"{method.upper()} {template}: status {status} is not documented")
            continue
        while "$ref" in response:
            response = components["responses"][response["$ref"].rsplit("/", 1)[1]]
        media = answer["content_type"].split(";")[0].strip()
        content = response.get("content", {})
        if media not in content:
            failures.append(f"{method.upper()} {template} {status}: {media} is not documented "
                            f"(documented: {', '.join(content) or 'no body'})")
            continue
        errors = sorted(validator(content[media]["schema"]).iter_errors(body),
                        key=lambda e: list(e.path))
        checked += 1
        seen.add((method, template, status))
        for e in errors[:3]:
            where = "/".join(str(p) for p in e.path) or "(body)"
            failures.append(f"{method.upper()} {template} {status}: {where}: {e.message[:300]}")
    if checked == 0:
        failures.append(f"no JSON answer was recorded in {sys.argv[2]}: the check checked nothing")
    for f in sorted(set(failures)):
        print(f)
    answered = {(m, t) for m, t, _ in seen}
    unanswered = [f"{m.upper()} {p}" for p, item in document["paths"].items() for m in item
                  if m not in ("parameters", "options") and (m, p) not in answered]
    if unanswered:
        # Not a failure: some answer no JSON (ics, metrics) or only in a run of the whole suite.
        print("documented operations without a JSON answer in this run: " + ", ".join(unanswered),
              file=sys.stderr)
    print(f"{checked} answers checked against {len(seen)} documented (operation, status) pairs; "
          f"{len(set(failures))} distinct problems", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

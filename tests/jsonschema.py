#!/usr/bin/env python3
"""Checks docs/informe.schema.json, the JSON Schema editors check templates
with (through the yaml-language-server line at the top of each template).

- the schema is a valid draft-07 schema;
- every template in templates/ starts with the yaml-language-server line
  and validates, and so do bench/spec.yaml and every example of
  docs/templates.md that informe renders or checks without an error;
- a template with a misspelt key (`colums:` in a table, `numberd:` beside
  a list) fails, with the key named in the error.

YAML is read as editors read it, by the rules of YAML 1.2 (`yes` and `on`
are words, `2018-03-31` is a text), which are also informe's.

Usage: python3 tests/jsonschema.py   (from the repository root)
"""
import glob
import json
import os
import re
import sys

# This file's name is the library's: import the library, not this file.
sys.path = [p for p in sys.path
            if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
import jsonschema  # noqa: E402
import yaml  # noqa: E402

SCHEMA = "docs/informe.schema.json"
HEADER = "# yaml-language-server: $schema=../docs/informe.schema.json"


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2's core schema instead of YAML 1.1's."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, rx, first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
]:
    Yaml12Loader.add_implicit_resolver(
        "tag:yaml.org,2002:" + tag, re.compile(rx), list(first))


def errors(validator, text):
    doc = yaml.load(text, Loader=Yaml12Loader)
    out = []
    for e in validator.iter_errors(doc):
        where = "/".join(str(p) for p in e.absolute_path) or "(top)"
        out.append(f"{where}: {e.message}")
    return out


def doc_examples(path):
    """(name, yaml) of every example of the document that must not fail."""
    out = []
    text = open(path, encoding="utf-8").read()
    rx = re.compile(r"^<!-- example: (.*?) -->\n```yaml\n(.*?)^```$",
                    re.M | re.S)
    for m in rx.finditer(text):
        words = m.group(1).split()
        if "error" not in words[1:]:
            out.append((words[0], m.group(2)))
    return out


def main():
    schema = json.load(open(SCHEMA, encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    v = jsonschema.Draft7Validator(schema)
    failed = 0
    checked = 0
    for path in sorted(glob.glob("templates/*.yaml")) + ["bench/spec.yaml"]:
        text = open(path, encoding="utf-8").read()
        if path.startswith("templates/") and not text.startswith(HEADER + "\n"):
            print(f"{path}: the first line is not '{HEADER}'")
            failed += 1
        for e in errors(v, text):
            print(f"{path}: {e}")
            failed += 1
        checked += 1
    for name, text in doc_examples("docs/templates.md"):
        for e in errors(v, text):
            print(f"docs/templates.md, example {name}: {e}")
            failed += 1
        checked += 1
    misspelt = [
        ("colums", "data:\n  plan: {file: plan.csv}\nbody:\n  - table:\n"
                   "      data: plan\n      colums: [{field: actividad}]\n"),
        ("numberd", "body:\n  - list: [a, b]\n    numberd: true\n"),
    ]
    for key, text in misspelt:
        found = errors(v, text)
        named = [e for e in found if f"'{key}'" in e]
        if not named:
            print(f"a misspelt '{key}' is not named in the errors: {found}")
            failed += 1
        else:
            print(f"misspelt '{key}' rejected: {named[0]}")
    if failed:
        print(f"jsonschema: {failed} problems")
        return 1
    print(f"jsonschema: {checked} templates valid against {SCHEMA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

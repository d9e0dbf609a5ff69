"""Every example in an OpenAPI document is valid against the schema it illustrates.

`python examples.py openapi.json` walks the document: schema `example`/`examples` (at any
depth), parameter examples, and the named examples of request and response bodies; each
is checked with JSON Schema 2020-12 (formats included), `$ref`s resolved in the
document. Prints each failure and exits 1 if there is one. scripts/clients.sh runs it on
the live /openapi.json; a test sends the request examples to the server as well."""

import json
import sys
from collections.abc import Iterator

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

JSON = object
ROOT = "urn:mtdb:openapi"


def pointer(path: list[str]) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in path)


def schema_examples(node: JSON, path: list[str]) -> Iterator[tuple[list[str], JSON]]:
    """(path of a schema, an example of it), for every schema below `node`."""
    if isinstance(node, dict):
        if "example" in node and "in" not in node:  # a parameter's is media_examples'
            yield path, node["example"]
        for value in node.get("examples", []) if isinstance(node.get("examples"), list) else []:
            yield path, value
        for key, child in node.items():
            if key not in ("example", "examples"):
                yield from schema_examples(child, path + [key])
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from schema_examples(child, path + [str(index)])


def media_examples(doc: dict[str, JSON]) -> Iterator[tuple[list[str], JSON]]:
    """(path of a schema, an example) for parameters and request and response bodies."""
    paths = doc.get("paths", {})
    assert isinstance(paths, dict)
    for route, item in paths.items():
        for method, operation in item.items():
            base = ["paths", route, method]
            for index, parameter in enumerate(operation.get("parameters", [])):
                if "example" in parameter:
                    yield base + ["parameters", str(index), "schema"], parameter["example"]
            bodies = [(["requestBody"], operation.get("requestBody", {}))]
            bodies += [(["responses", status], r) for status, r in operation["responses"].items()]
            for where, body in bodies:
                for media, content in body.get("content", {}).items():
                    at = base + where + ["content", media]
                    if "example" in content:
                        yield at + ["schema"], content["example"]
                    for example in content.get("examples", {}).values():
                        yield at + ["schema"], example["value"]


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as file:
        doc = json.load(file)
    registry: Registry = Registry().with_resource(ROOT, DRAFT202012.create_resource(doc))
    checked = 0
    failures = []
    found = list(schema_examples(doc.get("components", {}), ["components"]))
    found += list(schema_examples(doc.get("paths", {}), ["paths"]))
    found += list(media_examples(doc))
    for path, example in found:
        if path and path[-1] == "properties":
            continue  # a property named `example(s)`, not an example
        validator = Draft202012Validator(
            {"$ref": f"{ROOT}#{pointer(path)}"},
            registry=registry,
            format_checker=FormatChecker(),
        )
        checked += 1
        for error in validator.iter_errors(example):
            failures.append(f"{pointer(path)}: {json.dumps(example)}: {error.message}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"examples: {checked} checked, {len(failures)} invalid")
    return 1 if failures or checked < 10 else 0


if __name__ == "__main__":
    sys.exit(main())

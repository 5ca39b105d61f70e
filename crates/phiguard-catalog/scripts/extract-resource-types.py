#!/usr/bin/env python3
"""Print every resource type that a corpus of infrastructure code uses.

Usage: extract-resource-types.py CORPUS_DIR

CORPUS_DIR may hold Terraform plan JSON (`terraform show -json`), Terraform
`.tf` files and CloudFormation templates in YAML or JSON, in any subfolder.
The output, one type per line and sorted, is the list of types that
`data/resource-types.tsv` must map. Terraform data sources and CloudFormation
parameter types (such as `AWS::EC2::Image::Id`) are left out because they are
not resources.
"""

import json
import pathlib
import re
import sys

TF_RESOURCE_BLOCK = re.compile(r'^\s*resource\s+"(aws_[a-z0-9_]+)"', re.M)
# A CloudFormation resource type has exactly three parts; parameter types have four.
CFN_TYPE = re.compile(r'Type["\']?\s*:\s*["\']?(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)(?![A-Za-z0-9:])')


def read_text(path):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def walk_plan(node, found):
    """Collect `type` from every managed resource object in a plan."""
    if isinstance(node, dict):
        kind = node.get("type")
        if isinstance(kind, str) and kind.startswith("aws_") and node.get("mode", "managed") == "managed":
            found.add(kind)
        for value in node.values():
            walk_plan(value, found)
    elif isinstance(node, list):
        for value in node:
            walk_plan(value, found)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: extract-resource-types.py CORPUS_DIR")
    root = pathlib.Path(sys.argv[1])
    if not root.is_dir():
        sys.exit(f"error: {root} is not a directory; pass the folder that holds the corpus")
    found = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        text = read_text(path)
        if path.suffix == ".tf":
            found.update(TF_RESOURCE_BLOCK.findall(text))
            continue
        if path.suffix == ".json":
            try:
                document = json.loads(text)
            except json.JSONDecodeError:
                document = None
            if isinstance(document, dict) and ("planned_values" in document or "resource_changes" in document):
                walk_plan(document, found)
                continue
        if path.suffix in (".json", ".yaml", ".yml", ".template"):
            found.update(CFN_TYPE.findall(text))
    for kind in sorted(found):
        print(kind)


if __name__ == "__main__":
    main()

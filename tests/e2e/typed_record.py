# Whether an export package holds a record with the expected typed values, for the servers'
# end-to-end tests:
#   python3 typed_record.py PACKAGE EXPECTED
# EXPECTED is a JSON object; its numbers, like the package's, are read exactly (Decimal).
# The record is the first object in PACKAGE that holds every key of EXPECTED. Prints the keys
# whose values differ (an empty object when none does) and fails when any does.
import decimal
import json
import sys

doc = json.load(open(sys.argv[1]), parse_float=decimal.Decimal)
expected = json.loads(sys.argv[2], parse_float=decimal.Decimal)


def find(node):
    if isinstance(node, dict):
        if all(k in node for k in expected):
            return node
        nodes = node.values()
    elif isinstance(node, list):
        nodes = node
    else:
        return None
    for v in nodes:
        if (r := find(v)) is not None:
            return r
    return None


record = find(doc) or {}
bad = {k: record.get(k) for k, v in expected.items() if record.get(k) != v}
print({k: str(v) for k, v in bad.items()})
sys.exit(1 if bad or not record else 0)

"""docs/operations.md's configuration reference lists exactly the keys src/config/config.cc
reads (issue 14, docs/adr/0018), so the reference cannot drift from the code. Reads source
files only; no binary needed."""
import os
import re
import unittest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def keys_read_by_config():
    """(table, key) for every TableReader Get*/GetList call in config.cc."""
    readers, keys = {}, set()
    with open(os.path.join(ROOT, "src", "config", "config.cc")) as f:
        for line in f:
            m = re.search(r'TableReader (\w+)\(.*?"([\w. ]+)", errors\)', line)
            if m:
                readers[m.group(1)] = m.group(2)
            for m in re.finditer(r'\b(\w+)\.Get\w*\("(\w+)"', line):
                if m.group(1) in readers:
                    table = readers[m.group(1)]
                    keys.add(("" if table == "top level" else table, m.group(2)))
    return keys


def keys_documented():
    keys = set()
    with open(os.path.join(ROOT, "docs", "operations.md")) as f:
        for line in f:
            m = re.match(r"\| `(?:\[\[?([\w.]+)\]\]? )?(\w+)` \|", line)
            if m:
                keys.add((m.group(1) or "", m.group(2)))
    return keys


class ConfigReferenceTest(unittest.TestCase):
    def test_reference_matches_the_config_reader(self):
        code, docs = keys_read_by_config(), keys_documented()
        self.assertGreater(len(code), 50)
        self.assertEqual(sorted(code - docs), [], "keys read by config.cc but not documented")
        self.assertEqual(sorted(docs - code), [], "documented keys config.cc does not read")


if __name__ == "__main__":
    unittest.main()

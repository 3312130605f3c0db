"""The documentation's links hold: every relative link and #anchor in the project's markdown
files resolves, and every plain-text pointer to a section of the performance docs
(`docs/performance/session7.md, "Session 7: priority"`) names a file that has a heading
starting with that title. docs/performance.md's history moved to docs/performance/ in
session 9; this keeps the many pointers in ADRs, READMEs, comments and scripts true. Reads
files only; no binary needed."""
import collections
import glob
import os
import re
import subprocess
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def heading_slugs(path):
    """GitHub's anchors for the headings of a markdown file (outside code fences)."""
    out, seen, fence = set(), collections.Counter(), False
    with open(path) as f:
        for line in f.read().split("\n"):
            if line.startswith("```"):
                fence = not fence
            m = None if fence else re.match(r"#{1,6} (.*)", line)
            if m:
                s = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
                out.add(s if not seen[s] else f"{s}-{seen[s]}")
                seen[s] += 1
    return out


def markdown_files():
    pats = ["docs/**/*.md", "src/**/README.md", "*.md", "deploy/**/*.md", "bench/**/*.md"]
    return sorted({p for pat in pats for p in glob.glob(os.path.join(ROOT, pat), recursive=True)})


def tracked_files(*paths):
    out = subprocess.run(["git", "ls-files", *paths], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.split()


class DocLinksTest(unittest.TestCase):
    def test_relative_links_and_anchors_resolve(self):
        broken, count = [], 0
        for f in markdown_files():
            with open(f) as fh:
                text = re.sub(r"```.*?```", "", fh.read(), flags=re.S)
            text = re.sub(r"`[^`\n]*`", lambda m: m.group(0) if "](" not in m.group(0) else "",
                          text)
            for m in re.finditer(r"\[[^\]\n]*\]\(([^)\s]+)\)", text):
                target = m.group(1)
                if re.match(r"[a-z]+:", target):
                    continue
                count += 1
                path, _, anchor = target.partition("#")
                resolved = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
                where = f"{os.path.relpath(f, ROOT)}: ({target})"
                if not os.path.exists(resolved):
                    broken.append(f"{where}: no such file")
                elif anchor and (not resolved.endswith(".md")
                                 or anchor not in heading_slugs(resolved)):
                    broken.append(f"{where}: no heading #{anchor}")
        self.assertGreater(count, 50)
        self.assertEqual(broken, [])

    def test_section_pointers_to_the_performance_docs_name_a_heading(self):
        files = tracked_files("docs", "src", "scripts", "bench", "tests", "README.md", "Makefile",
                              "deploy", "CMakeLists.txt")
        headings, broken, named = {}, [], 0
        for f in files:
            if f.startswith("docs/performance"):
                continue
            try:
                with open(os.path.join(ROOT, f)) as fh:
                    raw = fh.read()
            except (UnicodeDecodeError, IsADirectoryError):
                continue
            # Lines joined without their comment markers, so a wrapped title still matches.
            text = re.sub(r"\n\s*(?://|#|\*)?\s*", " ", raw)
            for m in re.finditer(r"docs/performance(/[\w.-]+)?\.md", text):
                path = os.path.join(ROOT, m.group(0))
                if not os.path.exists(path):
                    broken.append(f"{f}: {m.group(0)} does not exist")
                    continue
                t = re.match(r'`?,?\s*\(?(?:[\w ]+,\s*)?"([^"]+)"', text[m.end():m.end() + 160])
                if not t:
                    continue
                named += 1
                if path not in headings:
                    with open(path) as fh:
                        headings[path] = [re.sub(r"\s+", " ", line.lstrip("#").strip())
                                          for line in fh if line.startswith("#")]
                title = re.sub(r"\s+", " ", t.group(1)).strip()
                if not any(h.startswith(title) for h in headings[path]):
                    broken.append(f'{f}: {m.group(0)} has no heading "{title}"')
        self.assertGreater(named, 20)
        self.assertEqual(broken, [])


if __name__ == "__main__":
    unittest.main()

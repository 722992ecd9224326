#!/usr/bin/env python3
"""The public API of the `zhclean` library, listed from its rustdoc HTML, against a snapshot.

    rm -rf target/doc/zhclean && cargo doc --no-deps      # default features, as users get it
    python3 scripts/public_api.py                          # compare with tests/public-api.txt
    python3 scripts/public_api.py --bless                  # rewrite the snapshot

Why from the HTML: `cargo public-api` needs rustdoc's JSON output, which stable Rust does not
give, and a tool installed by hand; the HTML pages of stable `cargo doc` hold every public item
with its declaration (a struct's public fields, an enum's variants, a function's signature),
every inherent method's signature and every trait the type implements. Hidden items
(`#[doc(hidden)]`: `cli`, `internals`) have no pages, so they are not listed. What is listed
per page: the item's path and declaration, its inherent impl blocks and method signatures,
and the traits it implements (auto traits and blanket impls, which depend on the toolchain,
are left out). Any change to these lines fails `.ci/run` until the snapshot is blessed, so a
change of the surface is always a visible change of tests/public-api.txt in review.
"""

import html
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "target" / "doc" / "zhclean"
SNAPSHOT = ROOT / "tests" / "public-api.txt"

PAGE = re.compile(r"^(struct|enum|fn|constant|type|trait|macro|static|union)\.(\w+)\.html$")


def text(fragment):
    """The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    fragment = re.sub(r'<div class="code-attribute">(.*?)</div>', r"\1 ", fragment, flags=re.S)
    fragment = re.sub(r"<[^>]+>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(fragment)).strip()


def between(page, start, ends):
    """The part of `page` from the element with id `start` to the first with an id in `ends`."""
    i = page.find(f'id="{start}"')
    if i < 0:
        return ""
    stops = [j for j in (page.find(f'id="{end}"', i) for end in ends) if j >= 0]
    return page[i : min(stops, default=len(page))]


SECTIONS = ["trait-implementations", "synthetic-implementations", "blanket-implementations"]


def describe(path, page):
    """The listing of one item page."""
    lines = [f"== {path}"]
    decl = re.search(r'<pre class="rust item-decl"><code>(.*?)</code></pre>', page, re.S)
    if decl:
        lines.append(text(decl.group(1)))
    inherent = between(page, "implementations-list", SECTIONS)
    for header in re.findall(r'<h[34] class="code-header">(.*?)</h[34]>', inherent, re.S):
        lines.append("  " + text(header))
    traits = between(page, "trait-implementations-list", SECTIONS[1:])
    for header in re.findall(
        r'<section id="impl-[^"]*" class="impl">.*?<h3 class="code-header">(.*?)</h3>', traits, re.S
    ):
        lines.append("  " + text(header))
    return lines


def listing(doc):
    items = []
    for file in sorted(doc.rglob("*.html")):
        kind = PAGE.match(file.name)
        if not kind:
            continue
        modules = file.relative_to(doc).parent.parts
        path = "::".join(("zhclean", *modules, kind.group(2)))
        page = file.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in page:  # a redirect page, not an item
            continue
        items.append(describe(f"{kind.group(1)} {path}", page))
    return "\n".join(line for item in items for line in item) + "\n"


def main():
    if not (DOC / "index.html").exists():
        sys.exit(f"{DOC} not found: run `cargo doc --no-deps` first")
    current = listing(DOC)
    if "--bless" in sys.argv[1:]:
        SNAPSHOT.write_text(current, encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
        return
    expected = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    if current != expected:
        import difflib

        sys.stdout.writelines(
            difflib.unified_diff(
                expected.splitlines(True), current.splitlines(True), str(SNAPSHOT), "target/doc"
            )
        )
        sys.exit(
            "the public API changed (above); if that is intended, run "
            "`python3 scripts/public_api.py --bless` and commit tests/public-api.txt"
        )
    print(f"public API as in {SNAPSHOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

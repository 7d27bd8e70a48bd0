"""Sphinx extension: work around upstream defects that reach the reader or slow the
build.

A stylesheet (static/page_hygiene.css) lets wide cell outputs, such as pandas tables,
scroll inside their own box, and long inline code (file paths) wrap: otherwise both
widen the page, which then scrolls sideways on a phone.

Two upstream defects each put an error in the console of every page (the browser tests
catch them):
- sphinx-thebe adds its inline configuration script with filename None, and Sphinx 7.4
  registers it again as '' when it rebuilds the script list, so the page declares `const
  THEBE_JS_URL` twice ("Identifier 'THEBE_JS_URL' has already been declared"). We drop
  repeated scripts per page.
- pydata-sphinx-theme writes the default colour mode from the template variable
  `default_mode` (normally set through html_context), which is empty here ("Got invalid
  theme mode: ."). We set it to light, the background the book's charts are drawn for,
  unless the configuration chose one.

And one that costs build time: Sphinx 7.4's Chinese search keeps every Latin word it has
seen in a list that grows with the book (duplicates included), and tests each word it
stems against it, so indexing time grows with the square of the book. We make it a set
and remember each stem.

The build process collects garbage as the page kernels do
(tools/ipython_kernel_config.py says why): full collections a tenth as often, and none
at exit (about 1 CPU-s of a clean build).
"""

import atexit
import gc
from pathlib import Path


def script_key(script) -> tuple:
    """What makes two script tags the same: file (None and '' alike), priority and
    attributes.
    """
    return (
        script.filename or "",
        script.priority,
        tuple(sorted(script.attributes.items())),
    )


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    """Keep the first of any scripts that are identical, in their original order."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        if script_key(script) not in seen:
            seen.add(script_key(script))
            unique.append(script)
    context["script_files"] = unique


def set_default_mode(app, pagename, templatename, context, doctree):
    """Give the theme an explicit default colour mode."""
    if not context.get("default_mode"):
        context["default_mode"] = "light"


class TermSet(set):
    """A set that also accepts list.extend, so it can stand in for
    SearchChinese.latin_terms.
    """

    def extend(self, items) -> None:
        self.update(items)


def speed_up_chinese_search(app, config) -> None:
    """Make SearchChinese.latin_terms a set and cache its stems (same results, without
    the quadratic scan).
    """
    from sphinx.search import zh

    if isinstance(zh.SearchChinese.latin_terms, TermSet):
        return
    zh.SearchChinese.latin_terms = TermSet(zh.SearchChinese.latin_terms)
    original_stem, stems = zh.SearchChinese.stem, {}

    def stem(self, word: str) -> str:
        # The stem depends on the word and on whether it is a known Latin term, so both
        # are the key.
        key = (word, word in self.latin_terms)
        if key not in stems:
            stems[key] = original_stem(self, word)
        return stems[key]

    zh.SearchChinese.stem = stem


def add_static_path(app):
    """Serve static/ beside this file (the stylesheet) from the site's _static
    folder.
    """
    app.config.html_static_path.append(str(Path(__file__).resolve().parent / "static"))


def collect_garbage_as_the_kernels_do() -> None:
    gc.set_threshold(700, 10, 100)
    atexit.register(gc.freeze)


def setup(app):
    collect_garbage_as_the_kernels_do()
    app.connect("config-inited", speed_up_chinese_search)
    app.connect("builder-inited", add_static_path)
    app.add_css_file("page_hygiene.css")
    app.connect("html-page-context", set_default_mode)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: serve the browser explorers' JavaScript from the site, only on the
pages that hold an explorer.

A page holds one when a cell output has the markup of
helpers.explorers.browser.BrowserExplorer (class ``nqpf-explorer``); only such pages get
the script and the stylesheet. The script is explorers_loader.js bundled with
Vega, Vega-Lite and vega-embed by vl-convert (``vl_convert.javascript_bundle``), written
once into _static/explorers/; it is an ES module, so its names stay out of the page's
global scope. No page asks another host for anything.
"""

import hashlib
from pathlib import Path

import altair
import vl_convert

STATIC = Path(__file__).resolve().parent / "explorers_static"
LOADER = Path(__file__).resolve().parent / "explorers_loader.js"
BUNDLE = "explorers/explorers.js"
MARKER = 'class="nqpf-explorer"'


def bundle_text() -> str:
    """The loader bundled with the Vega-Lite version Altair writes specs for."""
    loader = LOADER.read_text(encoding="utf-8")
    # Altair says e.g. v6.4.1; vl-convert names its bundled versions by minor, 6.4.
    version = ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return vl_convert.javascript_bundle(snippet=loader, vl_version=version)


def stamp() -> str:
    """What the bundle is made from: the loader, vl-convert's and Altair's versions."""
    loader = LOADER.read_bytes()
    made_of = loader + f"{vl_convert.__version__} {altair.SCHEMA_VERSION}".encode()
    return f"/* nqpf explorers {hashlib.sha256(made_of).hexdigest()[:16]} */\n"


def write_bundle(app, exception) -> None:
    """Write _static/explorers/explorers.js unless the one there is made of the same."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / BUNDLE
    head = stamp()
    if target.is_file() and target.open(encoding="utf-8").readline() == head:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(head + bundle_text(), encoding="utf-8")


def add_explorer_assets(app, pagename, templatename, context, doctree) -> None:
    """On a page with an explorer, load the bundle (as a module) and the stylesheet."""
    if MARKER in context.get("body", ""):
        app.add_js_file(BUNDLE, type="module")
        app.add_css_file("explorers.css")


def add_static_path(app) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("builder-inited", add_static_path)
    app.connect("html-page-context", add_explorer_assets)
    app.connect("build-finished", write_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

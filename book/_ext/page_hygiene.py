"""Sphinx extension: keep every built page free of browser console errors and sideways scrolling.

A stylesheet (static/page_hygiene.css) lets wide cell outputs, such as pandas tables, scroll inside
their own box, and long inline code (file paths) wrap: otherwise both widen the page, which then
scrolls sideways on a phone.

Two upstream defects each put an error in the console of every page (the browser tests catch them):
- sphinx-thebe adds its inline configuration script with filename None, and Sphinx 7.4 registers it
  again as '' when it rebuilds the script list, so the page declares `const THEBE_JS_URL` twice
  ("Identifier 'THEBE_JS_URL' has already been declared"). We drop repeated scripts per page.
- pydata-sphinx-theme writes the default colour mode from the template variable `default_mode`
  (normally set through html_context), which is empty here ("Got invalid theme mode: ."). We set it
  to light, the background the book's charts are drawn for, unless the configuration chose one.
"""
from pathlib import Path


def script_key(script) -> tuple:
    """What makes two script tags the same: file (None and '' alike), priority and attributes."""
    return (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))


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


def add_static_path(app):
    """Serve static/ beside this file (the stylesheet) from the site's _static folder."""
    app.config.html_static_path.append(str(Path(__file__).resolve().parent / "static"))


def setup(app):
    app.connect("builder-inited", add_static_path)
    app.add_css_file("page_hygiene.css")
    app.connect("html-page-context", set_default_mode)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: reader-facing fixes for the site (issue 15, point 4).

- Footer links that work on every page. `html.extra_footer` in _config.yml is raw HTML that the theme puts
  on every page unchanged, so a relative link works only on pages at the top of the site. Write its links
  relative to the site root (`book/appendix/data.html`); here each is rewritten relative to the page.
- Math served by the site itself. MathJax 3 comes from the `django-static-mathjax` package (a PyPI copy of
  MathJax 3.2.2, no Django needed); the build copies the parts the pages load (the tex-mml-chtml bundle,
  its CHTML fonts, the TeX extensions it autoloads, menu and accessibility components) into
  _static/mathjax, and `mathjax_path` in _config.yml points there. No formula needs another host.
- Chinese marked as Chinese. Runs of Han characters and CJK punctuation in the text get
  `<span lang="zh-CN">`, so browsers pick Simplified Chinese glyphs (户, 直, 说) instead of the Japanese
  forms that an `en` page defaults to. Code blocks and math are left alone; raw HTML from cell outputs
  (pandas tables) is marked too, outside tags.
"""
from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

from docutils import nodes

# Han ideographs (and extension A, compatibility ideographs) with CJK and full-width punctuation between them.
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
                     r"(?:[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u00b7\u2014\u2026"
                     r"\u201c\u201d\u2018\u2019]*[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])?")
LANG_CLASS = "language-zh-CN"  # docutils' HTML writers turn a language-X class into lang="X"
SKIP_INSIDE = (nodes.literal_block, nodes.math, nodes.math_block, nodes.raw, nodes.comment, nodes.doctest_block,
               nodes.image, nodes.system_message, nodes.substitution_definition)
MATHJAX_PARTS = ["tex-mml-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y",
                 "adaptors", "LICENSE"]


def mark_chinese_text(app, doctree, docname) -> None:
    """Wrap each run of Chinese in an inline node with lang zh-CN (HTML builders only)."""
    if app.builder.format != "html":
        return
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or not CJK_RUN.search(text.astext()):
            continue
        if LANG_CLASS in parent.get("classes", []) or any(isinstance(a, SKIP_INSIDE) for a in ancestors(text)):
            continue
        pieces, value, last = [], text.astext(), 0
        for match in CJK_RUN.finditer(value):
            if match.start() > last:
                pieces.append(nodes.Text(value[last:match.start()]))
            pieces.append(nodes.inline(match.group(), match.group(), classes=[LANG_CLASS]))
            last = match.end()
        if last < len(value):
            pieces.append(nodes.Text(value[last:]))
        parent.replace(text, pieces)
    for raw in doctree.findall(nodes.raw):
        if "html" in raw.get("format", "").split() and CJK_RUN.search(raw.astext()):
            marked = mark_chinese_html(raw.astext())
            if marked != raw.astext():
                raw.children = [nodes.Text(marked)]


def ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


TAG_OR_SKIPPED = re.compile(r"(?is)<(script|style|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>")


def mark_chinese_html(html: str) -> str:
    """lang="zh-CN" spans around the Chinese runs in the text of an HTML fragment (never inside tags,
    scripts, styles or math delimiters); the fragment is returned unchanged when it holds TeX."""
    if re.search(r"\\\(|\\\[|\$\$", html):
        return html
    out, last = [], 0
    for match in TAG_OR_SKIPPED.finditer(html):
        out.append(CJK_RUN.sub(lambda m: f'<span lang="zh-CN">{m.group()}</span>', html[last:match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(CJK_RUN.sub(lambda m: f'<span lang="zh-CN">{m.group()}</span>', html[last:]))
    return "".join(out)


FOOTER_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/|#)([^"]+)"')


def footer_links_from_site_root(app, pagename, templatename, context, doctree) -> None:
    """Rewrite the extra footer's relative links (written from the site root) relative to this page."""
    footer = context.get("theme_extra_footer")
    if footer:
        context["theme_extra_footer"] = FOOTER_HREF.sub(
            lambda m: f'href="{context["pathto"](m.group(1), 1)}"', footer)


def mathjax_source() -> Path:
    """MathJax 3's es5 folder inside the installed django-static-mathjax package."""
    import mathjax  # the django-static-mathjax distribution's package

    return Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"


def copy_mathjax(app, exception) -> None:
    """Copy MathJax's parts the pages load into _static/mathjax (skipping files that are already there)."""
    if exception is not None or app.builder.format != "html" or not str(app.config.mathjax_path).startswith(
            "mathjax/"):
        return
    source, target = mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    license_file = source.parent / "LICENSE"
    for part in MATHJAX_PARTS:
        origin = license_file if part == "LICENSE" else source / part
        files = [origin] if origin.is_file() else sorted(p for p in origin.rglob("*") if p.is_file())
        for file in files:
            relative = Path(part) if origin.is_file() else Path(part) / file.relative_to(origin)
            destination = target / relative
            if destination.is_file() and filecmp.cmp(file, destination, shallow=True):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, destination)


def setup(app):
    app.connect("doctree-resolved", mark_chinese_text)
    app.connect("html-page-context", footer_links_from_site_root)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

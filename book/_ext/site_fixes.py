"""Sphinx extension: reader-facing fixes for the site (issue 15, point 4).

- Footer links that work on every page. `html.extra_footer` in _config.yml is raw HTML
  that the theme puts on every page unchanged, so a relative link works only on pages at
  the top of the site. Write its links relative to the site root
  (`book/appendix/data.html`); here each is rewritten relative to the page.
- Math served by the site itself. MathJax 3 comes from the `django-static-mathjax`
  package (a PyPI copy of MathJax 3.2.2, no Django needed); the build copies the parts
  the pages load (the tex-mml-chtml bundle, its CHTML fonts, the TeX extensions it
  autoloads, menu and accessibility components) into _static/mathjax, and `mathjax_path`
  in _config.yml points there. No formula needs another host.
- Light pages. MathJax (1.2 MB) is loaded only by a page that holds a formula itself:
  Sphinx counts a page as having equations when any page of its toctree has one, and
  the landing page's toctree is the whole book. The theme's fontawesome.js (1.5 MB, on
  every page) is left out (templates/static/webpack-macros.html): the theme's
  stylesheet draws the same icons from its web fonts.
- Long-text tables as lists on a phone: static/long_tables.js labels each cell of the
  data appendix's tables with its column, and the stylesheet stacks them below 640 px.
- Chinese marked as Chinese. Runs of Han characters and CJK punctuation in the text get
  `<span lang="zh-CN">`, so browsers pick Simplified Chinese glyphs (户, 直, 说) instead
  of the Japanese forms that an `en` page defaults to. Code blocks and math are left
  alone; raw HTML from cell outputs (pandas tables) is marked too, outside tags.
- A downloaded notebook that says how to run it. sphinx-book-theme's download button
  offers, for a MyST page, the notebook MyST-NB executed (_build/jupyter_execute, copied
  to _sources), so it carries the outputs. It cannot run alone (it reads the book's data
  and imports its helpers), so its first cell now says so and how to run it: Binder, or
  a clone set up with the README's `make book`. The values of the prose's {eval} roles,
  as the build computed them, go into each Markdown cell's `user_expressions` metadata,
  where jupyterlab-myst reads them: the prose shows its numbers before anything runs.
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
from pathlib import Path

from docutils import nodes

# Han ideographs (and extension A, compatibility ideographs) with CJK and full-width
# punctuation between them.
CJK_RUN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff](?:[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u00b7\u2014\u2026\u201c\u201d\u2018\u2019]*[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])?"
)
LANG_CLASS = (
    "language-zh-CN"  # docutils' HTML writers turn a language-X class into lang="X"
)
SKIP_INSIDE = (
    nodes.literal_block,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    nodes.doctest_block,
    nodes.image,
    nodes.system_message,
    nodes.substitution_definition,
)
MATHJAX_PARTS = [
    "tex-mml-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
    "adaptors",
    "LICENSE",
]


def mark_chinese_text(app, doctree, docname) -> None:
    """Wrap each run of Chinese in an inline node with lang zh-CN (HTML builders
    only).
    """
    if app.builder.format != "html":
        return
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or not CJK_RUN.search(text.astext()):
            continue
        if LANG_CLASS in parent.get("classes", []) or any(
            isinstance(a, SKIP_INSIDE) for a in ancestors(text)
        ):
            continue
        pieces, value, last = [], text.astext(), 0
        for match in CJK_RUN.finditer(value):
            if match.start() > last:
                pieces.append(nodes.Text(value[last : match.start()]))
            pieces.append(
                nodes.inline(match.group(), match.group(), classes=[LANG_CLASS])
            )
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


TAG_OR_SKIPPED = re.compile(
    r"(?is)<(script|style|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>"
)


def mark_chinese_html(html: str) -> str:
    """lang="zh-CN" spans around the Chinese runs in the text of an HTML fragment (never
    inside tags, scripts, styles or math delimiters); the fragment is returned unchanged
    when it holds TeX.
    """
    if re.search(r"\\\(|\\\[|\$\$", html):
        return html
    out, last = [], 0
    for match in TAG_OR_SKIPPED.finditer(html):
        out.append(
            CJK_RUN.sub(
                lambda m: f'<span lang="zh-CN">{m.group()}</span>',
                html[last : match.start()],
            )
        )
        out.append(match.group())
        last = match.end()
    out.append(
        CJK_RUN.sub(lambda m: f'<span lang="zh-CN">{m.group()}</span>', html[last:])
    )
    return "".join(out)


FOOTER_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/|#)([^"]+)"')


def footer_links_from_site_root(app, pagename, templatename, context, doctree) -> None:
    """Rewrite the extra footer's relative links (written from the site root) relative
    to this page.
    """
    footer = context.get("theme_extra_footer")
    if footer:
        context["theme_extra_footer"] = FOOTER_HREF.sub(
            lambda m: f'href="{context["pathto"](m.group(1), 1)}"', footer
        )


def mathjax_source() -> Path:
    """MathJax 3's es5 folder inside the installed django-static-mathjax package."""
    import mathjax  # the django-static-mathjax distribution's package

    return Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"


def copy_mathjax(app, exception) -> None:
    """Copy MathJax's parts the pages load into _static/mathjax (skipping files that are
    already there).
    """
    if (
        exception is not None
        or app.builder.format != "html"
        or not str(app.config.mathjax_path).startswith("mathjax/")
    ):
        return
    source, target = mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    license_file = source.parent / "LICENSE"
    for part in MATHJAX_PARTS:
        origin = license_file if part == "LICENSE" else source / part
        files = (
            [origin]
            if origin.is_file()
            else sorted(p for p in origin.rglob("*") if p.is_file())
        )
        for file in files:
            relative = (
                Path(part)
                if origin.is_file()
                else Path(part) / file.relative_to(origin)
            )
            destination = target / relative
            if destination.is_file() and filecmp.cmp(file, destination, shallow=True):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, destination)


def mathjax_only_where_math(app, pagename, templatename, context, doctree) -> None:
    """Drop MathJax and its configuration from a page without a formula of its own
    (sphinx.ext.mathjax adds them at priority 500 when a page of its toctree has one).
    """
    math = app.env.get_domain("math")
    if math.data["has_equations"].get(pagename) or "script_files" not in context:
        return
    # The builder puts a local path under _static/.
    mathjax = {app.config.mathjax_path, f"_static/{app.config.mathjax_path}"}
    context["script_files"][:] = [
        script
        for script in context["script_files"]
        if str(getattr(script, "filename", script)) not in mathjax
        and not getattr(script, "attributes", {})
        .get("body", "")
        .startswith("window.MathJax")
    ]


def add_templates(app, config) -> None:
    """Put templates/ (the theme's asset macros without fontawesome.js) before the
    theme's own.
    """
    config.templates_path = [str(TEMPLATES), *config.templates_path]


TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTE_TAG = "how-to-run-this-notebook"
RUN_NOTE = """**How to run this notebook.** This is the page *{title}* of the book
*{book}*, saved with the outputs of the book's build, so you can read every result
without running anything. It does not run on its own: it reads the book's data files and
imports its `helpers` package. To run it:

- **Binder** (nothing to install): [open this page in JupyterLab on Binder]({binder}).
  It may take a few minutes to start.
- **Your own machine**: clone the repository ({repository}), run `make book` once (it
  creates `.venv` from the pinned lock, as the README says), start
  `.venv/bin/jupyter lab` and open `{source}`, or put this file beside it.

The numbers in the text are computed by the cells (MyST inline expressions): JupyterLab
with jupyterlab-myst, part of the book's environment, shows the values saved by the
build, and new ones once you run the cells."""
# The Chinese edition's download: the notebook, its code and its text stay English.
RUN_NOTE_ZH = """**如何运行本 notebook。** 这是《{book}》一书「{title}」一页的
notebook（英文原版：代码、输出和正文均为英文；中文版只翻译网页上的正文），
保存了全书构建时的输出，无需运行即可阅读全部结果。它不能单独运行：
它读取本书的数据文件，并导入本书的 `helpers` 包。运行方法：

- **Binder**（无需安装）：[在 Binder 上用 JupyterLab 打开本页]({binder})，
  启动可能需要几分钟。
- **本机**：克隆仓库（{repository}），运行一次 `make book`（它按 README
  所述、根据锁定的依赖创建 `.venv`），再启动 `.venv/bin/jupyter lab` 并打开
  `{source}`，或把本文件放在它旁边。

正文中的数字由代码单元计算（MyST 行内表达式）：本书环境中的 JupyterLab
（含 jupyterlab-myst）显示构建时保存的数值，运行代码单元后显示新的数值。
作业（assignments）只有英文版。"""


def binder_url(app, source: str) -> str | None:
    """The Binder link that opens the page's source in JupyterLab, from the theme's
    repository settings.
    """
    options = app.config.html_theme_options
    repository = options.get("repository_url", "").rstrip("/")
    binderhub = options.get("launch_buttons", {}).get("binderhub_url", "").rstrip("/")
    match = re.match(r"https://github.com/([^/]+)/([^/]+)$", repository)
    if not (match and binderhub):
        return None
    branch = options.get("repository_branch", "main")
    owner, name = match.groups()
    return f"{binderhub}/v2/gh/{owner}/{name}/{branch}?urlpath=lab/tree/{source}"


def add_run_note_to_download(app, pagename, templatename, context, doctree) -> None:
    """Put a first cell saying how to run it into the notebook the download button
    offers (_sources).
    """
    if not context.get("ipynb_source"):
        return
    notebook_file = Path(app.outdir) / "_sources" / context["ipynb_source"]
    notebook = json.loads(notebook_file.read_text(encoding="utf-8"))
    if notebook["cells"] and NOTE_TAG in notebook["cells"][0].get("metadata", {}).get(
        "tags", []
    ):
        return
    source = app.env.doc2path(pagename, base=False)
    repository = app.config.html_theme_options.get(
        "repository_url", "the book's repository"
    )
    title = re.sub(
        r"^\d+(\.\d+)*\.?\s+",
        "",
        re.sub(r"<[^>]+>", "", context.get("title", pagename)),
    )
    english = (app.config.language or "en").startswith("en")
    note = (RUN_NOTE if english else RUN_NOTE_ZH).format(
        title=title,
        book=app.config.html_title or app.config.project,
        binder=binder_url(app, source) or repository,
        repository=repository,
        source=source,
    )
    attach_evals(notebook, getattr(app.env, "site_evals", {}).get(pagename, []))
    cell = {
        "cell_type": "markdown",
        "metadata": {"tags": [NOTE_TAG]},
        "source": note.splitlines(keepends=True),
    }
    if (notebook.get("nbformat"), notebook.get("nbformat_minor", 0)) >= (4, 5):
        cell["id"] = NOTE_TAG  # cell ids are required from nbformat 4.5 on
    notebook["cells"].insert(0, cell)
    notebook_file.write_text(
        json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


# Expressions the build's kernels evaluated for {eval} roles, by source file, in the
# order of the page.
EVALUATED: dict[str, list[tuple[str, list[dict]]]] = {}
EVAL_ROLE = re.compile(r"\{eval\}`([^`]*)`")


def source_key(path) -> str:
    return str(Path(path).resolve()) if path else ""


def record_inline_evals(app, config) -> None:
    """Wrap MyST-NB's inline client so each evaluated {eval} expression and its outputs
    are kept.
    """
    from myst_nb.core.execute.inline import NotebookClientInline

    if getattr(NotebookClientInline.eval_variable, "records_evals", False):
        return
    original = NotebookClientInline.eval_variable

    def eval_variable(self, name):
        outputs = original(self, name)
        EVALUATED.setdefault(source_key(self._path), []).append(
            (name, [dict(o) for o in outputs])
        )
        return outputs

    eval_variable.records_evals = True
    NotebookClientInline.eval_variable = eval_variable


def forget_evals(app, docname, source) -> None:
    """A page read again is evaluated again: drop what its last reading recorded."""
    EVALUATED.pop(source_key(app.env.doc2path(docname)), None)


def keep_evals(app, doctree) -> None:
    """Move the evaluations of the page just read into the environment (kept between
    builds).
    """
    env = app.env
    if not hasattr(env, "site_evals"):
        env.site_evals = {}
    env.site_evals[env.docname] = EVALUATED.pop(
        source_key(env.doc2path(env.docname)), []
    )


def purge_evals(app, env, docname) -> None:
    getattr(env, "site_evals", {}).pop(docname, None)


def merge_evals(app, env, docnames, other) -> None:
    if not hasattr(env, "site_evals"):
        env.site_evals = {}
    env.site_evals.update(
        {d: v for d, v in getattr(other, "site_evals", {}).items() if d in docnames}
    )


def user_expression(name: str, outputs: list[dict]) -> dict:
    """jupyterlab-myst's record of one evaluated expression (as its executor writes
    it).
    """
    for output in outputs:
        if output.get("output_type") == "execute_result":
            return {
                "expression": name,
                "result": {
                    "status": "ok",
                    "data": output.get("data", {}),
                    "metadata": output.get("metadata", {}),
                },
            }
        if output.get("output_type") == "error":
            return {
                "expression": name,
                "result": {
                    "status": "error",
                    "ename": output.get("ename", ""),
                    "evalue": output.get("evalue", ""),
                    "traceback": [],
                },
            }
    return {
        "expression": name,
        "result": {"status": "ok", "data": {"text/plain": ""}, "metadata": {}},
    }


def attach_evals(notebook: dict, evaluated: list[tuple[str, list[dict]]]) -> int:
    """Give each Markdown cell the values of its {eval} roles, matched in page order;
    returns how many.
    """
    queue, attached = list(evaluated), 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        expressions = []
        for name in EVAL_ROLE.findall("".join(cell["source"])):
            found = next(
                (
                    i
                    for i, (evaluated_name, _) in enumerate(queue)
                    if evaluated_name == name
                ),
                None,
            )
            # entries before it were evaluated outside the cells (none expected)
            if found is not None:
                del queue[:found]
                expressions.append(user_expression(*queue.pop(0)))
        if expressions:
            cell.setdefault("metadata", {})["user_expressions"] = expressions
            attached += len(expressions)
    return attached


def setup(app):
    app.connect("config-inited", record_inline_evals)
    app.connect("config-inited", add_templates)
    app.add_js_file("long_tables.js")  # static/ is served by page_hygiene
    app.connect("html-page-context", mathjax_only_where_math, priority=550)
    app.connect("source-read", forget_evals)
    app.connect("doctree-read", keep_evals)
    app.connect("env-purge-doc", purge_evals)
    app.connect("env-merge-info", merge_evals)
    app.connect("doctree-resolved", mark_chinese_text)
    app.connect("html-page-context", footer_links_from_site_root)
    app.connect("build-finished", copy_mathjax)
    # After sphinx-book-theme (priority 501) has copied the executed notebook into
    # _sources.
    app.connect("html-page-context", add_run_note_to_download, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

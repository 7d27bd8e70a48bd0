"""Sphinx extension: the Chinese edition (中文版) from the English execution (issue 21).

The English build executes every page (MyST-NB inline mode). The Chinese build
(tools/translations.py build: same sources, `language: zh_CN`, the catalogues in
locale/zh_CN/LC_MESSAGES) executes nothing; it replays what the English build computed:

- Cell outputs. The English build leaves each executed notebook in
  _build/jupyter_execute/<page>.ipynb. The Chinese build reads pages with MyST-NB's
  execution off; its notebook client here copies those outputs into the page's cells
  (the cells must be the same: otherwise the English build is older than the source and
  the build stops, saying so).
- {eval} values. The English build writes what each page's kernel evaluated for its
  {eval} roles (recorded by site_fixes) beside the notebook, as <page>.evals.json. A
  translated paragraph is parsed after the page (Sphinx's i18n transform) in a document
  of its own, where MyST-NB finds no kernel; here it gets the page's replaying client,
  which answers the n-th evaluation of an expression in the translated text with the
  English build's n-th value of it. So every number of the Chinese text is the English
  build's number.
- Rebuild. Each Chinese page depends on its two English records (Sphinx dependencies,
  by time) and on its catalogue (Sphinx does that): a page re-executed in English, or a
  translation edited, rebuilds that Chinese page only. Records are written only when
  their content changes.

Both editions: each page links to the same page of the other edition (English at the
site root, Chinese under zh/).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

EXECUTED = "jupyter_execute"  # MyST-NB's folder, beside the English html folder
EVALS_SUFFIX = ".evals.json"
EDITION_FOLDER = "zh"  # the Chinese site inside the English one


def is_english(config) -> bool:
    return (config.language or "en").split("_")[0] == "en"


def english_build_dir(app) -> Path:
    """_build of the project (the Chinese site is _build/html/zh)."""
    return Path(app.srcdir) / "_build"


def record_paths(build: Path, docname: str) -> tuple[Path, Path]:
    notebook = build / EXECUTED / f"{docname}.ipynb"
    return notebook, notebook.with_name(notebook.stem + EVALS_SUFFIX)


def write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------- English build
def write_eval_records(app, exception) -> None:
    """build-finished (English): each page's evaluated expressions and outputs, in page
    order.
    """
    if exception is not None or not is_english(app.config):
        return
    build = Path(app.outdir).parent
    for docname, evaluated in getattr(app.env, "site_evals", {}).items():
        text = json.dumps(
            [[name, outputs] for name, outputs in evaluated],
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )
        write_if_changed(record_paths(build, docname)[1], text + "\n")


# ----------------------------------------------------------------- Chinese build
class EnglishRecordMissing(RuntimeError):
    pass


def replay_client_class():
    from myst_nb.core.execute.base import NotebookClientBase

    class ReplayClient(NotebookClientBase):
        """A MyST-NB notebook client that serves the English build's outputs and
        values.
        """

        chinese_value = None  # install_replay sets it: the values in Chinese

        def __init__(self, notebook, path, nb_config, logger, *, executed, evals, glue):
            cells, english = notebook.get("cells", []), executed.get("cells", [])
            if [c.get("source") for c in cells] != [c.get("source") for c in english]:
                raise EnglishRecordMissing(
                    f"{path}: its cells differ from the English build's executed "
                    "notebook: build the English edition first (make book)"
                )
            for cell, done in zip(cells, english):
                if cell.get("cell_type") == "code":
                    cell["outputs"] = done.get("outputs", [])
                    cell["execution_count"] = done.get("execution_count")
            super().__init__(notebook, path, nb_config, logger)
            self.evals, self.english_glue = evals, glue
            self.taken = {"page": {}, "translated": {}}
            self.phase = "page"

        def __enter__(self):
            # The English build took the glued values out of its notebook's outputs
            # and kept them beside it (<page>.glue.json).
            client = super().__enter__()
            self._glue_data.update(self.english_glue)
            return client

        def eval_variable(self, name):
            values = [outputs for evaluated, outputs in self.evals if evaluated == name]
            if not values:
                raise KeyError(f"the English build did not evaluate {name!r}")
            taken = self.taken[self.phase]
            index = min(taken.get(name, 0), len(values) - 1)
            taken[name] = index + 1
            from nbformat import from_dict

            outputs = [from_dict(output) for output in values[index]]
            if self.phase == "translated" and self.chinese_value is not None:
                outputs = [self.chinese_value(output) for output in outputs]
            return outputs

    return ReplayClient


CURRENT: dict[str, object] = {}  # the page being read: its renderer and client


def install_replay(app) -> None:
    """builder-inited (Chinese): pages read with the English build's outputs and
    values.
    """
    import nbformat
    from myst_nb import sphinx_ as nb_sphinx
    from myst_nb.ext import eval as nb_eval

    build = english_build_dir(app)
    replay = replay_client_class()
    if Path(app.outdir).parent.resolve() == build.resolve():
        raise EnglishRecordMissing(
            f"a replaying build must not write into {build}: MyST-NB would replace "
            "the English records (tools/translations.py builds into _build/zh)"
        )

    def create_client(notebook, source, nb_config, logger, read_fmt=None):
        docname = app.env.docname
        notebook_file, evals_file = record_paths(build, docname)
        if not notebook_file.is_file():
            raise EnglishRecordMissing(
                f"{docname}: no English execution record ({notebook_file}): build "
                "the English edition first (make book)"
            )
        app.env.note_dependency(str(notebook_file))
        evals = []
        if evals_file.is_file():
            app.env.note_dependency(str(evals_file))
            evals = json.loads(evals_file.read_text(encoding="utf-8"))
        executed = nbformat.reads(
            notebook_file.read_text(encoding="utf-8"), as_version=4
        )
        glue_file = notebook_file.with_name(notebook_file.stem + ".glue.json")
        glue = {}
        if glue_file.is_file():
            app.env.note_dependency(str(glue_file))
            glue = {
                key: nbformat.from_dict(value)
                for key, value in json.loads(glue_file.read_text("utf-8")).items()
            }
        if not is_english(app.config):
            from translated_outputs import translate_replayed

            translate_replayed(app, docname, executed, glue)
        client = replay(
            notebook,
            Path(source),
            nb_config,
            logger,
            executed=executed,
            evals=evals,
            glue=glue,
        )
        client.chinese_value = value_translator(app, docname, evals)
        CURRENT["client"] = client
        return client

    nb_sphinx.create_client = create_client

    original_loader = nb_sphinx.load_renderer

    def load_renderer(name):
        renderer_class = original_loader(name)

        def make(*args, **kwargs):
            CURRENT["renderer"] = renderer = renderer_class(*args, **kwargs)
            return renderer

        return make

    nb_sphinx.load_renderer = load_renderer
    original_retrieve = nb_eval.retrieve_eval_data

    def retrieve_eval_data(document, key):
        """A translated message's {eval}: answered by the page's replaying client."""
        if "nb_renderer" in document or "renderer" not in CURRENT:
            return original_retrieve(document, key)
        client = CURRENT["client"]
        document.attributes["nb_renderer"] = CURRENT["renderer"]
        client.phase = "translated"
        try:
            return original_retrieve(document, key)
        finally:
            client.phase = "page"
            del document.attributes["nb_renderer"]

    nb_eval.retrieve_eval_data = retrieve_eval_data


# ------------------------------------------------------------ values in Chinese
# A value an {eval} role puts into a translated sentence ("towards zero", "Beijing",
# "June 2020", "positive (p = 0.020)") gets its Chinese form: province and region names
# from data/provinces.csv, open sets by pattern, every other text from the value
# catalogue locale/zh_CN/LC_MESSAGES/values.po (one entry per distinct English value,
# written by `make translations`). Numbers stay as the English build printed them.
VALUES = "values.po"
MONTHS = (
    "January February March April May June July August September October November "
    "December"
).split()
MONTH = "(" + "|".join(MONTHS) + ")"
VALUE_PATTERNS = [  # (English, Chinese) for the open sets
    (re.compile(rf"^(\d{{1,2}}) {MONTH} (\d{{4}})$"), "{3} 年 {2} 月 {1} 日"),
    (re.compile(rf"^{MONTH} (\d{{4}})$"), "{2} 年 {1} 月"),
    (re.compile(r"^positive \((p [<=] [\d.]+)\)$"), "正（{1}）"),
    (re.compile(r"^negative \((p [<=] [\d.]+)\)$"), "负（{1}）"),
    (
        re.compile(r"^positive, not significant \((p [<=] [\d.]+)\)$"),
        "正，不显著（{1}）",
    ),
    (
        re.compile(r"^negative, not significant \((p [<=] [\d.]+)\)$"),
        "负，不显著（{1}）",
    ),
]
#: Latin words a Chinese value may keep: the p of p-values, units, codes.
LATIN_KEPT = frozenset({"p", "pp", "ln", "km", "CNNIC", "GDP"})
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'.-]*")
LIST_SEPARATORS = re.compile(r", | and ")


def names_in_chinese(path: Path) -> dict[str, str]:
    """Province and region names, English to Chinese (the data's reference table)."""
    import csv

    names: dict[str, str] = {}
    if path.is_file():
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names[row["province_en"]] = row["province_zh"]
                names[row["region"]] = row["region_zh"]
    return names


def needs_chinese(text: str) -> bool:
    """A value with Latin words other than the kept ones."""
    return any(word not in LATIN_KEPT for word in LATIN_WORD.findall(text))


def chinese_text(text: str, catalogue: dict[str, str], names: dict[str, str]):
    """The Chinese form of one value's text, or None when it has none."""
    if not needs_chinese(text):
        return text
    if catalogue.get(text):
        return catalogue[text]
    if text in names:
        return names[text]
    for pattern, chinese in VALUE_PATTERNS:
        found = pattern.match(text)
        if found:
            parts = [found.group(0)] + [
                str(MONTHS.index(g) + 1) if g in MONTHS else g for g in found.groups()
            ]
            return chinese.format(*parts)
    items = LIST_SEPARATORS.split(text)
    if len(items) > 1:  # "Beijing, Zhejiang and Guangdong": each name, joined with 、
        forms = [chinese_text(item, catalogue, names) for item in items]
        if None not in forms:
            return "、".join(forms)
    # A bilingual value ("福建 Fujian"): its Chinese part.
    chinese = re.match(r"^([\u4e00-\u9fff]+) [A-Za-z][A-Za-z ]*$", text)
    return chinese.group(1) if chinese else None


def value_text(output) -> str | None:
    """The text an {eval} shows (a string's repr without its quotes)."""
    text = output.get("data", {}).get("text/plain")
    if text and len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return None


def value_catalogue(folder: Path) -> dict[str, str]:
    """values.po: English value text to its Chinese (translated entries only)."""
    catalogue = read_catalogue(folder / VALUES)
    if catalogue is None:
        return {}
    return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}


def value_translator(app, docname: str, evals):
    """The function that gives one replayed output its Chinese form; warns (page and
    value) for a value with Latin words and no Chinese form.
    """
    from sphinx.util import logging

    if not any(
        needs_chinese(value_text(o) or "") for _, outputs in evals for o in outputs
    ):
        return None
    folder = Path(app.srcdir) / app.config.locale_dirs[0] / app.config.language
    app.env.note_dependency(str(folder / "LC_MESSAGES" / VALUES))
    catalogue = value_catalogue(folder / "LC_MESSAGES")
    names = names_in_chinese(Path(app.srcdir) / "data" / "provinces.csv")

    def translate(output):
        text = value_text(output)
        if text is None or not needs_chinese(text):
            return output
        chinese = chinese_text(text, catalogue, names)
        if chinese is None:
            logging.getLogger(__name__).warning(
                f"{docname}: the value {text!r} has no Chinese form (add it to "
                f"{VALUES}: make translations)",
                location=docname,
                type="translation",
                subtype="value",
            )
            return output
        quote = output["data"]["text/plain"][0]
        output["data"]["text/plain"] = quote + chinese + quote
        return output

    return translate


# ------------------------------------------------------------ in sync by construction
ROLE = re.compile(r"\{(eval|cite:p|cite:t|numref|ref|doc|term)\}`([^`]*)`")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")


def markup(message: str) -> list[tuple[str, str]]:
    """The roles and link targets a translation must keep (sorted)."""
    return sorted(
        ROLE.findall(message) + [("link", t) for t in LINK_TARGET.findall(message)]
    )


def catalogue_problems(messages, catalogue) -> list[tuple[object, str, str]]:
    """(node, problem, message) for each message the catalogue does not translate as
    it must: missing, empty, fuzzy, or with other roles, links or {eval} expressions
    than its source.
    """
    problems = []
    for node, message in messages:
        entry = catalogue.get(message) if catalogue is not None else None
        if entry is None or not entry.string:
            problems.append((node, "untranslated", message))
        elif entry.fuzzy:
            problems.append((node, "fuzzy", message))
        elif markup(entry.string) != markup(message):
            problems.append((node, "markup differs from the source in", message))
    return problems


def page_messages(document):
    """The messages Sphinx's i18n transform translates: paragraphs, titles, captions
    (extract_messages) and the toctree captions.
    """
    from sphinx import addnodes
    from sphinx.util.nodes import extract_messages

    found = list(extract_messages(document))
    for node in document.findall(addnodes.translatable):
        found += [(node, message) for message in node.extract_original_messages()]
    return found


CATALOGUE_CACHE: dict[Path, tuple[float, object]] = {}


def read_catalogue(path: Path):
    """The page's .po (babel), or None; read again when it changes."""
    from babel.messages.pofile import read_po

    if not path.is_file():
        return None
    mtime = path.stat().st_mtime
    if CATALOGUE_CACHE.get(path, (None,))[0] != mtime:
        with open(path, "rb") as handle:
            CATALOGUE_CACHE[path] = (mtime, read_po(handle))
    return CATALOGUE_CACHE[path][1]


def printed_and_marked(message: str) -> bool:
    """A message a cell printed with its texts marked: translated from their domain
    catalogue when the outputs are replayed (translated_outputs.py), not by the page's.
    """
    return 'data-l10n="' in message


MESSAGE = "translated_edition_message"  # the English message, kept on its node


def transform_keeping_messages():
    from sphinx.transforms import SphinxTransform

    class KeepMessages(SphinxTransform):
        """Note on each translatable node its English message, before Sphinx's Locale
        (priority 20) replaces it by the translation.
        """

        default_priority = 19

        def apply(self, **kwargs):
            if is_english(self.config) or self.app.builder.format != "html":
                return
            for node, message in page_messages(self.document):
                # Not already Chinese (练习); a figure's alt text is checked too;
                # printed texts with marks are their domain catalogue's.
                if re.search("[A-Za-z]", message) and not printed_and_marked(message):
                    node[MESSAGE] = message

    return KeepMessages


def check_catalogue(app, doctree) -> None:
    """doctree-read (Chinese): warn, at its page and line, for each message of the page
    as built without its translation (untranslated, fuzzy, or with other markup).
    """
    from sphinx.util import logging

    if is_english(app.config) or app.builder.format != "html":
        return
    env = app.env
    folder = Path(env.srcdir) / app.config.locale_dirs[0] / app.config.language
    path = folder / "LC_MESSAGES" / f"{env.docname}.po"
    kept = [
        (node, node[MESSAGE])
        for node in doctree.findall()
        if MESSAGE in getattr(node, "attributes", {})
    ]
    log = logging.getLogger(__name__)
    for node, problem, message in catalogue_problems(kept, read_catalogue(path)):
        shown = message if len(message) < 70 else message[:67] + "..."
        log.warning(
            f"{problem} message (in {path.relative_to(env.srcdir)}): {shown}",
            location=node if node.line else env.docname,
            type="translation",
            subtype=problem.split()[0],
        )


def translate_toctree_captions(app, doctree) -> None:
    """doctree-read (Chinese), before the toctree collector: the part captions of
    _toc.yml, which sphinx-external-toc inserts after Sphinx's Locale has run, from the
    root page's catalogue (checked like every message).
    """
    from sphinx import addnodes
    from sphinx.util import logging

    if is_english(app.config) or app.builder.format != "html":
        return
    env = app.env
    path = (
        Path(env.srcdir)
        / app.config.locale_dirs[0]
        / app.config.language
        / "LC_MESSAGES"
        / f"{env.docname}.po"
    )
    catalogue = read_catalogue(path)
    toctrees = [n for n in doctree.findall(addnodes.toctree) if n.get("caption")]
    messages = [(node, node["caption"]) for node in toctrees]
    for node, problem, message in catalogue_problems(messages, catalogue):
        logging.getLogger(__name__).warning(
            f"{problem} message (in {path.relative_to(env.srcdir)}): {message}",
            location=env.docname,
            type="translation",
            subtype=problem.split()[0],
        )
    for node in toctrees:
        entry = catalogue.get(node["caption"]) if catalogue is not None else None
        if entry is not None and entry.string and not entry.fuzzy:
            node["caption"] = node["rawcaption"] = entry.string


# ----------------------------------------------------------------- citations in Chinese
CITATION_STYLE = "author_year_zh"  # bibtex_reference_style of the Chinese build


def chinese_citation_style():
    """sphinxcontrib-bibtex's author-year referencing, Chinese connectors: 和 between
    two authors, 、 between more, 等 for et al.; spaced next to Latin-script names
    ("Hansen 和 Wang", "Zhao 等"), unspaced between Chinese ones ("张林和蒲清平").
    """
    from dataclasses import dataclass, field

    from pybtex.richtext import Text
    from pybtex.style import template
    from pybtex.style.template import join, node
    from sphinxcontrib.bibtex.style.referencing import PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import (
        AuthorYearReferenceStyle,
    )
    from sphinxcontrib.bibtex.style.template import FieldIsMissing

    @node
    def chinese_names(children, data, role, full):
        try:
            persons = data["entry"].persons[role]
        except KeyError:
            raise FieldIsMissing(role, data["entry"]) from None
        style = data["style"]
        formatted = [
            style.person.style_plugin.format(person, style.person.abbreviate)
            for person in persons
        ]
        latin = re.search("[A-Za-z]", str(formatted[0].format_data(data)))
        space = " " if latin else ""
        and_ = f"{space}和{space}"
        others = str(persons[-1]) == "others"  # BibTeX's "and others": 等
        if others or (not full and len(persons) > 2):
            shown = formatted[:-1] if others and full else formatted[:1]
            return Text(join(sep="、")[shown].format_data(data), f"{space}等")
        return join(sep="、", sep2=and_, last_sep=and_)[formatted].format_data(data)

    @dataclass
    class ChinesePersonStyle(PersonStyle):
        def names(self, role, full):
            return chinese_names(role=role, full=full)

        def author_or_editor_or_title(self, full):
            return template.first_of[
                template.optional[chinese_names(role="author", full=full)],
                template.optional[chinese_names(role="editor", full=full)],
                template.tag("em")[template.field("title")],
            ]

    @dataclass
    class ChineseAuthorYear(AuthorYearReferenceStyle):
        person: PersonStyle = field(default_factory=ChinesePersonStyle)

    return ChineseAuthorYear


def register_citation_style() -> None:
    import sphinxcontrib.bibtex.plugin as bibtex_plugins

    bibtex_plugins.register_plugin(  # a no-op when registered already
        "sphinxcontrib.bibtex.style.referencing",
        CITATION_STYLE,
        chinese_citation_style(),
    )


# ----------------------------------------------------------------- interface strings
def load_interface_strings(app) -> None:
    """sphinx-book-theme's strings in Simplified Chinese (it ships zh_TW only): the
    project's locale/<language>/LC_MESSAGES/booktheme.po, compiled into _build.
    """
    from sphinx import locale
    from sphinx.util.i18n import CatalogInfo

    source = Path(app.srcdir) / app.config.locale_dirs[0]
    compiled = Path(app.outdir).parent / "locale"
    folder = compiled / app.config.language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    po = source / app.config.language / "LC_MESSAGES" / "booktheme.po"
    (folder / "booktheme.po").write_bytes(po.read_bytes())
    CatalogInfo(str(folder), "booktheme", "utf-8").write_mo(app.config.language)
    locale.init([str(compiled)], app.config.language, "booktheme")


# ----------------------------------------------------------------- both editions
def other_edition_link(app, pagename, templatename, context, doctree) -> None:
    """A link, above the page's text, to the same page in the other edition
    (relative, so both editions work from any folder).
    """
    if "body" not in context:
        return
    up = "../" * pagename.count("/")
    if is_english(app.config):
        href, lang, text = f"{up}{EDITION_FOLDER}/{pagename}.html", "zh-CN", "中文版"
    else:
        href, lang, text = f"{up}../{pagename}.html", "en", "English edition"
    context["body"] = (
        f'<p class="other-edition"><a class="other-edition" href="{href}" '
        f'hreflang="{lang}" lang="{lang}">{text}</a></p>\n' + context["body"]
    )


def start_translated_build(app) -> None:
    """The Chinese edition, and the extraction of its messages (gettext), read the
    pages with the English build's outputs: figure captions and printed Markdown are
    messages too.
    """
    if not is_english(app.config) or app.builder.name == "gettext":
        install_replay(app)
    if not is_english(app.config):
        load_interface_strings(app)


def setup(app):
    register_citation_style()
    app.connect("build-finished", write_eval_records)
    # After MyST-NB has set its configuration up (and the theme its catalogue).
    app.connect("builder-inited", start_translated_build, priority=900)
    app.add_transform(transform_keeping_messages())
    app.connect("doctree-read", check_catalogue)
    app.connect("doctree-read", translate_toctree_captions, priority=400)
    app.connect("html-page-context", other_edition_link)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

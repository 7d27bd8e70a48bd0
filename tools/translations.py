"""The Chinese edition (中文版): its catalogues and its build (issue 21).

    python -m tools.translations update    extract the English messages (Sphinx's
                                           gettext builder, nothing executed), merge
                                           them into locale/zh_CN/LC_MESSAGES/<page>.po
                                           (babel, as msgmerge does); list what needs
                                           translating
    python -m tools.translations build [--strict]
                                           build the Chinese edition into _build/html/zh
                                           from the English build's outputs and values
                                           (book/_ext/translated_edition.py); --strict:
                                           every page read again, warnings are errors

The Chinese build warns, naming page and line, for every message without a translation
or with a fuzzy one (book/_ext/translated_edition.py): the strict build of `make test`
fails on them.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "zh_CN"
LOCALE = "locale"
CATALOGUES = ROOT / LOCALE / LANGUAGE / "LC_MESSAGES"
BUILD = ROOT / "_build"
# Sphinx builds the Chinese site into _build/zh/html (its notebooks beside it, where
# sphinx-book-theme looks for them); _build/html/zh links to it, so the site holds both.
WORK = BUILD / "zh"
SITE = WORK / "html"
PUBLISHED = BUILD / "html" / "zh"
TEMPLATES = WORK / "gettext"
# Builds of the Chinese edition leave the English build's bookkeeping alone.
NOT_IN_TRANSLATED_BUILDS = ("page_inputs",)


def overrides(**extra) -> dict:
    """Sphinx settings of a build beside the English one: _config.yml's, with extra."""
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(
        user_yaml=ROOT / "_config.yml",
        cli_config={"latex_individualpages": False},
        sourcedir=ROOT,
        use_external_toc=True,
    )
    extensions = [e for e in config["extensions"] if e not in NOT_IN_TRANSLATED_BUILDS]
    return {
        "external_toc_path": (ROOT / "_toc.yml").as_posix(),
        "extensions": extensions,
        "gettext_compact": False,
        "latex_individualpages": False,  # jupyter-book's build reads it
        **extra,
    }


def sphinx(outdir: Path, doctrees: Path, builder: str, settings: dict, **kwargs) -> int:
    from jupyter_book.sphinx import build_sphinx

    result = build_sphinx(
        ROOT,
        outdir,
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=settings,
        doctreedir=doctrees,
        builder=builder,
        **kwargs,
    )
    if isinstance(result, Exception):
        raise result
    return result


FINGERPRINT = BUILD / ".inputs-fingerprint-zh"


def fingerprint() -> str:
    """The English build's input fingerprint (page_inputs writes it when a build
    finishes) and the bytes of every catalogue.
    """
    import hashlib

    english = BUILD / ".inputs-fingerprint"
    digest = hashlib.sha256(english.read_bytes() if english.is_file() else b"none")
    for path in sorted((ROOT / LOCALE).rglob("*.po")):
        digest.update(f"\0{path.relative_to(ROOT).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(strict: bool = False) -> int:
    """The Chinese edition, with the CPU it took; skipped (not when strict) when the
    English build and the catalogues are as at the last finished Chinese build.
    """
    import fcntl

    WORK.mkdir(parents=True, exist_ok=True)
    lock = open(WORK / ".build.lock", "a+")  # one Chinese build at a time
    fcntl.flock(lock, fcntl.LOCK_EX)
    current = fingerprint()
    if (
        not strict
        and (PUBLISHED / "index.html").is_file()
        and FINGERPRINT.is_file()
        and FINGERPRINT.read_text().strip() == current
    ):
        print("translations: _build/html/zh is up to date (English build, catalogues)")
        return 0
    FINGERPRINT.unlink(missing_ok=True)
    settings = overrides(
        language=LANGUAGE,
        locale_dirs=[LOCALE],
        nb_execution_mode="off",
        nitpicky=strict,
        # MyST-NB's toggles of hidden cells ('Show code cell source'): no translation
        # of their own.
        nb_code_prompt_show="显示代码单元",
        nb_code_prompt_hide="隐藏代码单元",
        html_title="新质生产力与城乡融合：教学与复现用书",
        bibtex_reference_style="author_year_zh",  # 和, 等 (translated_edition.py)
    )
    status = sphinx(
        SITE,
        WORK / ".doctrees",
        "html",
        settings,
        warningiserror=strict,
        keep_going=strict,
        freshenv=strict,
        force_all=strict,
    )
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"translations: CPU of the Chinese build: {own.ru_utime + own.ru_stime:.1f} s "
        f"(nothing executed); status {status}"
    )
    if status == 0:
        publish()
        FINGERPRINT.write_text(current + "\n")
    return status


def publish() -> None:
    """_build/html/zh: a relative link to the Chinese site (GitHub Pages' upload and a
    local server follow it).
    """
    if PUBLISHED.is_symlink() or PUBLISHED.is_file():
        PUBLISHED.unlink()
    elif PUBLISHED.is_dir():
        import shutil

        shutil.rmtree(PUBLISHED)
    PUBLISHED.symlink_to(Path("..") / SITE.relative_to(BUILD))


# MyST-NB gives the gettext builder a cell's text only (text/plain): its figures, and
# with them their alt text (a message of the page, Sphinx extracts image alt), are kept
# for it here.
FIGURES_READ = [("gettext", mime, 1) for mime in ("image/png", "image/jpeg")]


def extract() -> None:
    """The English messages of every page into _build/gettext/<page>.pot."""
    sphinx(
        TEMPLATES,
        WORK / ".doctrees-gettext",
        "gettext",
        overrides(nb_execution_mode="off", nb_mime_priority_overrides=FIGURES_READ),
        quiet=True,
    )


def merge(template_file: Path, catalogue_file: Path) -> dict[str, int]:
    """Update one page's catalogue from its template (new messages empty, changed ones
    fuzzy, gone ones obsolete); returns its counts.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    with open(template_file, "rb") as handle:
        template = read_po(handle)
    drop_marked_messages(template)
    for message in template:  # locations from the project root, as book/<page>.md
        message.locations = [
            ((TEMPLATES / path).resolve().relative_to(ROOT).as_posix(), line)
            for path, line in message.locations
        ]
    if catalogue_file.is_file():
        with open(catalogue_file, "rb") as handle:
            catalogue = read_po(handle, locale=LANGUAGE)
        carry_renamed_roles(template, catalogue)
        # Without the template's creation date: a catalogue whose messages did not
        # change keeps its bytes (no commit noise from `make translations`).
        catalogue.update(
            template, update_header_comment=False, update_creation_date=False
        )
    else:
        catalogue = Catalog(locale=LANGUAGE, project=template.project)
        catalogue.update(template)
    catalogue_file.parent.mkdir(parents=True, exist_ok=True)
    with open(catalogue_file, "wb") as handle:
        write_po(handle, catalogue, width=0, ignore_obsolete=True)
    return counts(catalogue)


def drop_marked_messages(template) -> None:
    """Printed text marked for a domain (helpers/l10n.py) is translated in the domain's
    catalogue, once, not in each page's that prints it.
    """
    for message in list(template):
        if message.id and 'data-l10n="' in message.id:
            del template[message.id]


# The texts that building blocks print, by gettext domain: (source file, texts).
def domain_texts() -> dict[str, tuple[Path, list[str]]]:
    from helpers import claims, glossary

    return {
        claims.DOMAIN: (
            claims.CLAIMS_FILE,
            claims.translatable_texts(claims.load_claims()),
        ),
        glossary.DOMAIN: (
            glossary.GLOSSARY_FILE,
            glossary.translatable_texts(glossary.load_glossary()),
        ),
    }


def write_domain_templates() -> None:
    """_build/zh/gettext/<domain>.pot for each domain's texts, located at their line
    in the YAML file (or at the Python module that holds them).
    """
    import os

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    for domain, (source, texts) in domain_texts().items():
        lines = source.read_text(encoding="utf-8").splitlines()
        where = os.path.relpath(source, TEMPLATES)
        template = Catalog(project=domain)
        for text in texts:
            first = text.replace("'", "''")[:40]
            line = next((n for n, row in enumerate(lines, 1) if first in row), None)
            template.add(text, locations=[(where, line)] if line else [])
        TEMPLATES.mkdir(parents=True, exist_ok=True)
        with open(TEMPLATES / f"{domain}.pot", "wb") as handle:
            write_po(handle, template, width=0)


EVAL_ROLE = re.compile(r"\{eval\}`([^`]*)`")


def carry_renamed_roles(template, catalogue) -> None:
    """Keep the translation of a message whose English changed only inside its {eval}
    roles (an expression moved into a named variable): its Chinese is still right, with
    each role's new expression put in. Anything else that changed stays for a
    translator (untranslated or fuzzy).
    """
    translated = {}
    for message in catalogue:
        if message.id and message.string and not message.fuzzy:
            translated.setdefault(EVAL_ROLE.sub("{eval}``", message.id), []).append(
                message
            )
    for message in template:
        if not message.id or message.id in catalogue:
            continue
        candidates = translated.get(EVAL_ROLE.sub("{eval}``", message.id), [])
        if len(candidates) != 1:
            continue
        old = candidates[0]
        renamed: dict[str, str] = {}
        pairs = zip(EVAL_ROLE.findall(old.id), EVAL_ROLE.findall(message.id))
        if any(renamed.setdefault(before, after) != after for before, after in pairs):
            continue  # one old expression became two different ones: ambiguous
        if any(e not in renamed for e in EVAL_ROLE.findall(old.string)):
            continue
        string = EVAL_ROLE.sub(
            lambda role: "{eval}`" + renamed[role.group(1)] + "`", old.string
        )
        catalogue.add(message.id, string, locations=message.locations)


def counts(catalogue) -> dict[str, int]:
    messages = [m for m in catalogue if m.id]
    fuzzy = sum(1 for m in messages if m.fuzzy)
    untranslated = sum(1 for m in messages if not m.fuzzy and not m.string)
    return {
        "translated": len(messages) - fuzzy - untranslated,
        "untranslated": untranslated,
        "fuzzy": fuzzy,
    }


def english_values() -> dict[str, set[str]]:
    """Each value text with Latin words the English build's {eval} roles printed that
    neither the names of data/provinces.csv nor a pattern translates, with its pages.
    """
    import json

    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import translated_edition as edition

    names = edition.names_in_chinese(ROOT / "data" / "provinces.csv")
    found: dict[str, set[str]] = {}
    for record in sorted((BUILD / edition.EXECUTED).rglob("*" + edition.EVALS_SUFFIX)):
        page = record.relative_to(BUILD / edition.EXECUTED).as_posix()
        page = page.removesuffix(edition.EVALS_SUFFIX)
        for _, outputs in json.loads(record.read_text(encoding="utf-8")):
            for output in outputs:
                text = edition.value_text(output) or ""
                if edition.chinese_text(text, {}, names) is None:
                    found.setdefault(text, set()).add(page)
    return found


def update_values() -> dict[str, int]:
    """values.po: one entry per English value text the pages print (new ones empty,
    gone ones dropped, translations kept).
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = CATALOGUES / "values.po"
    old, created = {}, None
    if path.is_file():
        with open(path, "rb") as handle:
            previous = read_po(handle, locale=LANGUAGE)
        old = {m.id: m for m in previous if m.id}
        created = previous.creation_date  # no commit noise when nothing changed
    catalogue = Catalog(locale=LANGUAGE, project="values", fuzzy=False)
    if created is not None:
        catalogue.creation_date = created
    for text, pages in sorted(english_values().items()):
        kept = old.get(text)
        catalogue.add(
            text,
            kept.string if kept else "",
            locations=[(page, 0) for page in sorted(pages)],
            flags=kept.flags if kept else (),
        )
    with open(path, "wb") as handle:
        write_po(handle, catalogue, width=0, omit_header=False, include_lineno=False)
    return counts(catalogue)


def update() -> int:
    """Extract, merge every page, print what needs translating; 1 if anything does."""
    extract()
    write_domain_templates()
    total = {"translated": 0, "untranslated": 0, "fuzzy": 0}
    found = update_values()
    for key, value in found.items():
        total[key] += value
    if found["untranslated"] or found["fuzzy"]:
        print(f"values: {found['untranslated']} untranslated, {found['fuzzy']} fuzzy")
    for template_file in sorted(TEMPLATES.rglob("*.pot")):
        page = template_file.relative_to(TEMPLATES).with_suffix("")
        found = merge(template_file, CATALOGUES / page.with_suffix(".po"))
        for key, value in found.items():
            total[key] += value
        if found["untranslated"] or found["fuzzy"]:
            print(
                f"{page}: {found['untranslated']} untranslated, {found['fuzzy']} fuzzy"
            )
    print(
        f"translations: {total['translated']} translated, {total['untranslated']} "
        f"untranslated, {total['fuzzy']} fuzzy messages in "
        f"{CATALOGUES.relative_to(ROOT)}"
    )
    return 1 if total["untranslated"] or total["fuzzy"] else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update")
    build_parser = commands.add_parser("build")
    build_parser.add_argument("--strict", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "update":
        return update()
    return build(strict=args.strict)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

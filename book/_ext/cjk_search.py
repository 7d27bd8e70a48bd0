"""Sphinx extension: make site search keep the book's Chinese key terms whole.

Sphinx's Chinese search splits text with jieba, which cuts 新质生产力 into 新质 / 生产 / 生产力.
Loading a user dictionary built from the glossary makes each glossary term one search word.
"""
from pathlib import Path

import yaml

GLOSSARY = Path(__file__).resolve().parents[1] / "glossary.yml"


def write_user_dictionary(app, config):
    """Write the jieba user dictionary into the build folder and point the search options at it."""
    from helpers.glossary import jieba_user_dict

    entries = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    path = Path(app.doctreedir).parent / "jieba_user_dict.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(jieba_user_dict(entries), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}


def setup(app):
    app.connect("config-inited", write_user_dictionary)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

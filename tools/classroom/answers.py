"""The one channel from a student's kernel to the grader: answer variables as JSON.

Hidden tests never run in the student's kernel, where the notebook may have replaced
any built-in, module or object. The grader runs the notebook, then one last cell
(`serialiser_cell`) that prints every answer variable the tests use as plain JSON data
(numbers, strings, booleans, None, lists, dicts, pandas Series and DataFrames, and
the parts of a matplotlib figure the tests read). The grader parses that text with its
own `json`, refuses anything but these kinds (`decode`), and rebuilds plain Python,
pandas and matplotlib objects in its own process, where the tests then run.

Nothing the kernel does can make a wrong answer right: whatever it patches, all it can
change is the text, and text that does not parse, has another kind, or lacks the
per-run token the grader chose scores 0 with a message. Only exact types are
serialised (`type(x) is float`, not isinstance), so an answer that is an object with
its own __eq__, __float__ or __bool__ is refused, not compared.
"""

from __future__ import annotations

import json
import math

# Larger answers are refused: the assignments' biggest (a 300-row frame) is ~100 kB.
MAX_PAYLOAD_CHARS = 20_000_000
MAX_DEPTH = 6

# Runs inside the student's kernel, in a namespace of its own (so a notebook's
# innocent `float = 3` does not break it). Its output is data the grader validates,
# never trusted code or objects.
_KERNEL_SOURCE = r"""
def _encode(value, depth=0):
    import numpy, pandas
    kind = type(value)
    if depth > MAX_DEPTH:
        raise TypeError("nested too deeply")
    if value is None:
        return {"kind": "none"}
    if kind is bool or kind is numpy.bool_:
        return {"kind": "bool", "value": True if value else False}
    if kind is int or kind in (numpy.int64, numpy.int32, numpy.int16, numpy.int8,
                               numpy.uint64, numpy.uint32, numpy.uint16, numpy.uint8):
        return {"kind": "int", "value": int(value)}
    if kind is float or kind in (numpy.float64, numpy.float32, numpy.float16):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            return {"kind": "float", "value": None, "special": repr(number)}
        return {"kind": "float", "value": number}
    if kind is str or kind is numpy.str_:
        return {"kind": "str", "value": str(value)}
    if kind in (list, tuple):
        return {"kind": "list", "items": [_encode(v, depth + 1) for v in value]}
    if kind is dict:
        return {"kind": "dict",
                "items": [[_encode(k, depth + 1), _encode(v, depth + 1)]
                          for k, v in value.items()]}
    if kind is numpy.ndarray:
        return {"kind": "list", "items": [_encode(v, depth + 1) for v in value]}
    if kind is pandas.Index or kind is pandas.RangeIndex:
        return {"kind": "list", "items": [_encode(v, depth + 1) for v in value]}
    if kind is pandas.Series:
        return {"kind": "series", "name": _encode(value.name, depth + 1),
                "index": [_encode(v, depth + 1) for v in value.index],
                "values": [_encode(v, depth + 1) for v in value.tolist()]}
    if kind is pandas.DataFrame:
        return {"kind": "frame",
                "columns": [_encode(c, depth + 1) for c in value.columns],
                "index": [_encode(v, depth + 1) for v in value.index],
                "rows": [[_encode(v, depth + 2) for v in row]
                         for row in value.itertuples(index=False, name=None)]}
    import matplotlib.figure
    if kind is matplotlib.figure.Figure:
        return {"kind": "figure",
                "texts": [_text(t) for t in value.texts],
                "axes": [_axes(ax) for ax in value.axes]}
    raise TypeError(type(value).__name__)


def _text(artist):
    x, y = artist.get_position()
    return [float(x), float(y), str(artist.get_text())]


def _axes(ax):
    patches = []
    for patch in ax.patches:
        if not hasattr(patch, "get_height"):
            continue
        patches.append([float(patch.get_x()), float(patch.get_y()),
                        float(patch.get_width()), float(patch.get_height())])
    ticks = [float(t) for t in ax.get_xticks()]
    labels = [str(t.get_text()) for t in ax.get_xticklabels()]
    return {"patches": patches, "ylim": [float(v) for v in ax.get_ylim()],
            "xlim": [float(v) for v in ax.get_xlim()],
            "xticks": ticks, "xticklabels": labels,
            "texts": [_text(t) for t in ax.texts]}


def _answers(names, token):
    import json
    from IPython import get_ipython
    namespace = get_ipython().user_ns
    encoded = {}
    for name in names:
        if name not in namespace:
            encoded[name] = {"kind": "missing"}
            continue
        value = namespace[name]
        try:
            encoded[name] = _encode(value)
        except Exception as error:
            encoded[name] = {"kind": "refused", "type": str(error)[:80]}
    print(token + json.dumps(encoded, allow_nan=False))
"""


def serialiser_cell(names: list[str], token: str) -> str:
    """Source of the cell that prints `token` + the JSON of every name (run last)."""
    source = _KERNEL_SOURCE.replace("MAX_DEPTH", str(MAX_DEPTH))
    call = f"_answers({sorted(names)!r}, {token!r})"
    return f"exec({source + call!r}, {{'__name__': 'grader_answers'}})"


class AnswerError(ValueError):
    """The kernel's answer text is not what the serialiser writes."""


def read_payload(outputs: list[dict], token: str) -> dict:
    """The JSON object after `token` in the serialiser cell's stdout; AnswerError if
    absent or malformed.
    """
    text = "".join(
        "".join(o.get("text", ""))
        for o in outputs
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != 1 or not lines[0].startswith(token):
        raise AnswerError(
            "the notebook's answers could not be read (the kernel printed "
            f"{len(lines)} line(s) instead of the grader's one answer line)"
        )
    body = lines[0][len(token) :]
    if len(body) > MAX_PAYLOAD_CHARS:
        raise AnswerError(f"the answers are too large ({len(body)} characters)")
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as error:
        raise AnswerError(f"the answers are not valid JSON ({error})") from None
    if type(payload) is not dict:
        raise AnswerError("the answers are not a JSON object")
    return payload


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise AnswerError(what)


def _number(value) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def decode(item, depth: int = 0):
    """The grader-side object for one encoded value; AnswerError if it is not one of
    the serialiser's kinds.
    """
    import pandas as pd

    _expect(
        type(item) is dict and type(item.get("kind")) is str, "not an encoded value"
    )
    _expect(depth <= MAX_DEPTH + 2, "nested too deeply")
    kind = item["kind"]
    if kind == "none":
        return None
    if kind == "bool":
        _expect(type(item.get("value")) is bool, "bool without a boolean")
        return item["value"]
    if kind == "int":
        _expect(type(item.get("value")) is int, "int without an integer")
        return item["value"]
    if kind == "float":
        value = item.get("value")
        if value is None:
            special = item.get("special")
            _expect(special in ("nan", "inf", "-inf"), "float without a number")
            return float(special)
        _expect(_number(value), "float without a number")
        return float(value)
    if kind == "str":
        _expect(type(item.get("value")) is str, "str without a string")
        return item["value"]
    if kind == "list":
        return [decode(v, depth + 1) for v in _list(item, "items")]
    if kind == "dict":
        pairs = [_list({"p": p}, "p") for p in _list(item, "items")]
        _expect(all(len(p) == 2 for p in pairs), "dict item that is not a pair")
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in pairs}
    if kind == "series":
        index = [decode(v, depth + 1) for v in _list(item, "index")]
        values = [decode(v, depth + 1) for v in _list(item, "values")]
        _expect(len(index) == len(values), "series whose index and values differ")
        return pd.Series(values, index=index, name=decode(item.get("name"), depth + 1))
    if kind == "frame":
        columns = [decode(v, depth + 1) for v in _list(item, "columns")]
        index = [decode(v, depth + 1) for v in _list(item, "index")]
        rows = [
            [decode(v, depth + 2) for v in _list({"r": r}, "r")]
            for r in _list(item, "rows")
        ]
        _expect(len(rows) == len(index), "frame whose index and rows differ")
        _expect(all(len(r) == len(columns) for r in rows), "frame row of wrong length")
        return pd.DataFrame(rows, index=index, columns=columns)
    if kind == "figure":
        return _figure(item)
    raise AnswerError(f"unknown kind {kind!r}")


def _list(item: dict, key: str) -> list:
    value = item.get(key)
    _expect(type(value) is list, f"{key} is not a list")
    return value


def _numbers(values, length: int | None = None) -> list[float]:
    _expect(type(values) is list and all(_number(v) for v in values), "not numbers")
    _expect(length is None or len(values) == length, "wrong count of numbers")
    return [float(v) for v in values]


def _texts(values) -> list[tuple[float, float, str]]:
    _expect(type(values) is list, "texts are not a list")
    texts = []
    for value in values:
        _expect(type(value) is list and len(value) == 3, "text is not [x, y, text]")
        x, y = _numbers(value[:2])
        _expect(type(value[2]) is str, "text without a string")
        texts.append((x, y, value[2]))
    return texts


def _figure(item: dict):
    """A matplotlib Figure rebuilt in the grader from the parts the serialiser sent."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure()
    for x, y, text in _texts(item.get("texts")):
        figure.text(x, y, text)
    for spec in _list(item, "axes"):
        _expect(type(spec) is dict, "axes is not an object")
        ax = figure.add_subplot()
        for patch in _list(spec, "patches"):
            x, y, width, height = _numbers(patch, 4)
            ax.add_patch(Rectangle((x, y), width, height))
        ticks = _numbers(spec.get("xticks"))
        labels = _list(spec, "xticklabels")
        _expect(all(type(s) is str for s in labels), "tick label without a string")
        _expect(len(ticks) == len(labels), "ticks and tick labels differ")
        ax.set_xlim(*_numbers(spec.get("xlim"), 2))
        ax.set_xticks(ticks, labels)
        ax.set_ylim(*_numbers(spec.get("ylim"), 2))
        for x, y, text in _texts(spec.get("texts")):
            ax.text(x, y, text)
    return figure


def decode_answers(payload: dict, names: list[str]) -> tuple[dict, dict[str, str]]:
    """({name: grader-side value}, {name: why it is not graded}) for the names asked."""
    values, problems = {}, {}
    for name in names:
        item = payload.get(name)
        if type(item) is dict and item.get("kind") == "missing":
            problems[name] = "not defined"
            continue
        if type(item) is dict and item.get("kind") == "refused":
            found = str(item.get("type", "?"))[:80]
            problems[name] = (
                f"cannot be graded ({found}; answers must be numbers, strings, "
                "booleans, lists, dicts, Series, DataFrames or figures)"
            )
            continue
        try:
            values[name] = decode(item)
        except (AnswerError, TypeError, ValueError, OverflowError) as error:
            problems[name] = f"could not be read ({error})"
    return values, problems

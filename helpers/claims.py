"""The claims ledger: every enumerated point of the paper, our evidence, and a verdict
by a written rubric.

`book/claims.yml` holds, per entry, the paper's own phrase, our restatement, an evidence
*template* with named placeholders (no typed results), the rubric criteria and the
verdict. A chapter page computes the numbers and calls `claims_table("C1", values)`: the
templates are filled, each filled evidence string is glued under the key `claim_<id>`
(display=False) so the ledger page can paste it with cross-document glue, and the table
is shown.
"""

from __future__ import annotations

import html
import math
import re
import string
from pathlib import Path

import pandas as pd
import yaml

from helpers.l10n import mark
from helpers.paths import BOOK_DIR
from helpers.tables import p_text

CLAIMS_FILE = BOOK_DIR / "claims.yml"
VERDICTS = (
    "supported",
    "consistent",
    "mixed",
    "no support in our data",
    "contradicted",
    "reproduces the paper's cited figure",
    "not testable with our data",
    "pending",
)
REQUIRED_FIELDS = (
    "id",
    "chapter",
    "point",
    "paper",
    "source",
    "claim",
    "evidence",
    "criteria",
    "verdict",
)
ID_PATTERN = re.compile(r"^(?P<part>[MCP])(?P<section>[1-4])-(?P<number>\d+)$")
PART_FOLDERS = {"M": "mechanisms", "C": "constraints", "P": "paths"}
PART_TITLES = {
    "M": "Part I. Mechanisms",
    "C": "Part II. Constraints",
    "P": "Part III. Paths",
}
# What an entry is: one enumerated point of the paper (一是, 二是, ... or the paragraphs
# of 三.2 and 三.3, the clauses of 四.3), the headline claim, a section's lead sentence,
# or a sentence within a point that the ledger tests on its own. Only "point" entries
# are counted against the paper's lists.
ROLES = ("point", "headline", "lead", "sub-claim", "context")
SOURCES = ("paper", "paper, citing literature", "literature review", "report")

# The rubric's vocabulary (recorded per entry under `criteria`).
KINDS = ("causal", "descriptive", "premise")
MEASURES = ("direct", "proxy", "weak proxy", "none")
EVIDENCE_KINDS = ("within", "between", "descriptive")

# How well a series measures what a claim names. One definition for every entry: each
# entry grades each series it uses (`measures`), its overall grade is the weakest of
# them, and it says why in one line (`measure_reason`).
MEASURE_GRADES = {
    "direct": (
        "The series counts the quantity the claim names, for the places the claim "
        "compares. Examples: CNNIC's urban and rural internet penetration for the "
        "claim that urban and rural residents differ in internet use (C3-5); the "
        "urban/rural income ratio for a large income gap (C3-1); the CASS report's "
        "urban and rural digital-literacy scores for low rural digital literacy "
        "(C1-1)."
    ),
    "proxy": (
        "The series counts the claim's quantity, or a part of it, but at a coarser "
        "unit (a province holds both city and countryside) or as an index built to "
        "stand for it. Examples: the composite NQPF index for new quality productive "
        "forces, which has no official measure (every Part I entry, M4-1 included); "
        "the two-indicator URI index for integration (M1-1); digital financial "
        "inclusion for financial innovation (M3-4, P3-3); provincial railway length "
        "for transport links between city and countryside (P4-2)."
    ),
    "weak proxy": (
        "The series counts something else, which the claim's quantity may move with. "
        "Its result is reported as context and not judged. Examples: a budget share "
        "for training (P2-3); rural income growth for labour mobility (M1-3); digital "
        "financial inclusion for big-data logistics (M4-3); farm machinery power for "
        "county agro-processing clusters (P2-5); a Gini across provinces for a gap "
        "between city and village, since every province has both (C1-3, C3-4, C4-4)."
    ),
    "none": (
        "No series in our data counts the claim's quantity or anything close to it."
    ),
}
# Strongest first: an entry is as strong as the weakest series it rests on.
MEASURE_ORDER = ("direct", "proxy", "weak proxy")

RUBRIC = {
    "supported": (
        "The evidence measures the claim itself (measure: direct). A causal claim, or "
        "the premise of a recommendation, needs a within-province (two-way fixed "
        "effects) estimate in the expected direction, significant at the 5% level and "
        "robust to the chapter's checks; descriptive or between-province evidence "
        "cannot support it. A descriptive claim (a level, a gap, a trend) needs the "
        "direct measure to show it at every date we hold. Nothing significant points "
        "the other way."
    ),
    "consistent": (
        "The data point the way the claim expects, but the evidence cannot establish "
        "it: descriptive or between-province evidence for a causal claim, a "
        "within-province estimate not checked for robustness, or a proxy measure (the "
        "claimed quantity at a coarser unit, such as provinces instead of city and "
        "countryside). Nothing significant points the other way."
    ),
    "mixed": (
        "Significant evidence points both ways: for example a within-province estimate"
        " against the claim and a between-province association for it, two measures "
        "that disagree, or a descriptive claim that holds at some dates and not at "
        "others."
    ),
    "no support in our data": (
        "Nothing significant agrees with the claim: the estimates are null (not "
        "significant at 5%), or only a non-decisive estimate (between provinces, or "
        "within provinces without a robustness check) points the other way. A null is "
        "not a contradiction."
    ),
    "contradicted": (
        "A within-province estimate of the opposite sign, significant at 5% and robust"
        " to the chapter's checks (for a descriptive claim: the direct measure shows "
        "the opposite at every date we hold), and no significant evidence for the "
        "claim."
    ),
    "reproduces the paper's cited figure": (
        "The evidence is the source the paper itself cites (measure: direct or proxy),"
        " re-quoted: it shows that the paper's figure can be rebuilt, not that an "
        "independent test agrees. It is not a test of the claim."
    ),
    "not testable with our data": (
        "No measure of the claim in our data, or only a weak proxy (see the measure "
        "grades below). A weak proxy's result is reported as context and not judged. "
        "Applied the same way in all three parts."
    ),
    "pending": (
        "The evidence has not been assembled yet (no entry may stay pending in a "
        "finished book)."
    ),
}
RUBRIC_PRINCIPLES = (
    "Direction: the claim's expected sign is stated in its testable form before any "
    "estimate is read.",
    "Within versus between: the paper's mechanisms say that NQPF *drives* "
    "integration, so the decisive test is within provinces over time (two-way fixed "
    "effects); a between-province association (year effects only) compares rich and "
    "poor provinces and counts only as supporting or opposing context.",
    "Significance: 5% with standard errors clustered by province; an estimate above "
    "5% is a null.",
    "Robustness: `robust` is set only where a named check runs on the page "
    "(`robust_checks`): for a within-province estimate, the same sign and 5% "
    "significance in the chapter's other specifications (lag, without municipalities, "
    "other index weights); for a descriptive claim, the result at every date we hold. "
    "An estimate not checked cannot make a claim supported or contradicted.",
    "Guards: every p-value an evidence sentence prints is checked on its side of 5%, "
    "and every significant estimate also has its sign checked, so the page stops "
    "building if the data change the verdict's ground.",
    "Artefacts: evidence that the page itself calls an artefact (for example a "
    "between-province length that reflects land area) is not counted for or against; "
    "the entry records it under `not_counted` with the reason.",
    "Descriptive versus causal: a gap, a trend or a co-movement of two national "
    "series is descriptive; it can support a descriptive claim, never a causal one. "
    "Two national series that both trend are not evidence that one drives the other.",
    'A null is "no support in our data", not "contradicted".',
    "The premise of a recommendation is not a test of it: that a problem persists (a "
    "hukou gap, a digital divide) is why the paper recommends a measure, not evidence "
    "that the measure fails.",
    "Partial tests: when only part of a point can be tested, the verdict is on that "
    "part and the evidence says which part.",
    "Shared evidence: when one regression serves several claims, each entry says so "
    "(`shared_with`).",
)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^{}]*)?\}")
_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def rubric_verdict(criteria: dict) -> str:
    """The verdict the rubric assigns to an entry's recorded criteria (see RUBRIC)."""
    kind, measure = criteria["kind"], criteria["measure"]
    agree, oppose = set(criteria.get("for") or []), set(criteria.get("against") or [])
    robust = bool(criteria.get("robust", False))
    if measure in ("none", "weak proxy"):
        return "not testable with our data"
    if criteria.get("papers_source"):
        return "reproduces the paper's cited figure"
    if agree and oppose:
        return "mixed"
    decisive = (
        {"within"} if kind in ("causal", "premise") else {"descriptive", "within"}
    )
    if oppose:
        return (
            "contradicted"
            if (oppose & decisive and robust)
            else "no support in our data"
        )
    if agree:
        if agree & decisive and robust and measure == "direct":
            return "supported"
        return "consistent"
    return "no support in our data"


def _check_criteria(where: str, criteria) -> None:
    if not isinstance(criteria, dict):
        raise ValueError(f"{where}: criteria must be a mapping")
    for field, allowed in (("kind", KINDS), ("measure", MEASURES)):
        if criteria.get(field) not in allowed:
            raise ValueError(
                f"{where}: criteria.{field} {criteria.get(field)!r} not in {allowed}"
            )
    for field in ("for", "against"):
        unknown = set(criteria.get(field) or []) - set(EVIDENCE_KINDS)
        if unknown:
            raise ValueError(
                f"{where}: criteria.{field} names unknown evidence {sorted(unknown)}"
            )
    for field in ("robust", "papers_source"):
        if field in criteria and not isinstance(criteria[field], bool):
            raise ValueError(f"{where}: criteria.{field} must be true or false")
    ignored = set(criteria.get("not_counted") or {})
    if ignored - set(EVIDENCE_KINDS):
        raise ValueError(f"{where}: criteria.not_counted names unknown evidence")
    counted = set(criteria.get("for") or []) | set(criteria.get("against") or [])
    if ignored & counted:
        raise ValueError(
            f"{where}: evidence {sorted(ignored & counted)} is both not_counted and "
            "counted for or against"
        )


def _check_measures(where: str, entry: dict) -> None:
    """The measure grade: a one-line reason, a grade per series, the weakest overall,
    and `robust` only with named checks that run on the page.
    """
    measure = entry["criteria"]["measure"]
    if not str(entry.get("measure_reason") or "").strip():
        raise ValueError(f"{where}: measure_reason (one line) is missing")
    series = entry.get("measures") or {}
    if measure == "none":
        if series:
            raise ValueError(f"{where}: measure none, but measures lists {series}")
    else:
        bad = {k: v for k, v in series.items() if v not in MEASURE_ORDER}
        if not series or bad:
            raise ValueError(
                f"{where}: measures must grade each series used as one of "
                f"{MEASURE_ORDER}, found {series}"
            )
        weakest = max(series.values(), key=MEASURE_ORDER.index)
        if measure != weakest:
            raise ValueError(
                f"{where}: criteria.measure {measure!r}, but the weakest series "
                f"graded in measures is {weakest!r}"
            )
    named = entry.get("robust_checks") or []
    if bool(entry["criteria"].get("robust")) != bool(named):
        raise ValueError(
            f"{where}: robust: true needs robust_checks naming the checks it rests on, "
            "and robust_checks needs robust: true"
        )
    unknown = set(named) - set(entry.get("checks") or [])
    if unknown:
        raise ValueError(f"{where}: robust_checks {sorted(unknown)} are not in checks")


def load_claims(path: Path | None = None) -> list[dict]:
    """Read and check the claims file: fields, ids, sources, criteria, and every verdict
    against the rubric.
    """
    path = Path(path) if path is not None else CLAIMS_FILE
    # libyaml's C loader where PyYAML has it: the same safe subset, about twenty times
    # faster.
    entries = yaml.load(
        path.read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
    if not isinstance(entries, list):
        raise ValueError(
            f"{path}: expected a list of claims, found {type(entries).__name__}"
        )
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        where = f"{path}, entry {position}"
        missing = [f for f in REQUIRED_FIELDS if not entry.get(f)]
        if missing:
            raise ValueError(f"{where}: missing field(s) {', '.join(missing)}")
        match = ID_PATTERN.match(entry["id"])
        if not match:
            raise ValueError(
                f"{where}: id {entry['id']!r} is not of the form M1-1, C2-3 or P4-2"
            )
        if entry["id"] in seen:
            raise ValueError(f"{where}: duplicate id {entry['id']}")
        seen.add(entry["id"])
        where = f"{where} ({entry['id']})"
        if entry["verdict"] not in VERDICTS:
            raise ValueError(f"{where}: verdict {entry['verdict']!r} not in {VERDICTS}")
        folder = PART_FOLDERS[match["part"]]
        if not entry["chapter"].startswith(folder + "/"):
            raise ValueError(
                f"{where}: chapter {entry['chapter']!r} is not under {folder}/"
            )
        if entry.get("role", "point") not in ROLES:
            raise ValueError(f"{where}: role {entry.get('role')!r} not in {ROLES}")
        if entry["source"] not in SOURCES:
            raise ValueError(f"{where}: source {entry['source']!r} not in {SOURCES}")
        if not _CJK.search(entry["paper"]) or len(entry["paper"]) > 80:
            raise ValueError(
                f"{where}: paper must quote the paper's Chinese phrase briefly (at "
                "most 80 characters)"
            )
        for field in ("claim", "evidence"):
            typed = _DECIMAL.findall(_PLACEHOLDER.sub("", entry[field]))
            if typed:
                raise ValueError(
                    f"{where}: {field} holds typed decimal(s) {typed}; use a "
                    f"{{placeholder}}"
                )
        _check_criteria(where, entry["criteria"])
        _check_measures(where, entry)
        if (
            entry["verdict"] != "pending"
            and rubric_verdict(entry["criteria"]) != entry["verdict"]
        ):
            raise ValueError(
                f"{where}: verdict {entry['verdict']!r}, but the rubric gives "
                f"{rubric_verdict(entry['criteria'])!r} for criteria "
                f"{entry['criteria']}"
            )
        unknown = set(entry.get("shared_with") or []) - {e["id"] for e in entries}
        if unknown:
            raise ValueError(
                f"{where}: shared_with names unknown id(s) {sorted(unknown)}"
            )
    return entries


def grade_conflicts(entries: list[dict]) -> list[str]:
    """Pairs of entries that grade the same series differently while neither entry's
    measure_reason names the other (each returned as a sentence).
    """
    graded: dict[str, list[tuple[str, str, str]]] = {}
    for entry in entries:
        for series, grade in (entry.get("measures") or {}).items():
            graded.setdefault(series, []).append(
                (entry["id"], grade, entry.get("measure_reason", ""))
            )
    conflicts = []
    for series, uses in graded.items():
        for i, (a, grade_a, why_a) in enumerate(uses):
            for b, grade_b, why_b in uses[i + 1 :]:
                if grade_a != grade_b and b not in why_a and a not in why_b:
                    conflicts.append(
                        f"{series}: {a} grades it {grade_a}, {b} {grade_b}, and "
                        "neither reason names the other"
                    )
    return conflicts


_P_CHECK = re.compile(r"^(?P<name>\w+)_p (?P<side><|>=) 0\.05$")


def unguarded_thresholds(entry: dict) -> list[str]:
    """The thresholds a judged entry's evidence prints but no check guards: each
    printed p-value needs a check on its side of 5%, and each significant one a check
    of its sign (or, for the largest p over several specifications, of one sign in
    all of them).
    """
    if entry["criteria"]["measure"] in ("none", "weak proxy"):
        return []  # reported as context, not judged
    checks = entry.get("checks") or []
    sides = {m["name"]: m["side"] for c in checks if (m := _P_CHECK.match(c))}
    missing = []
    for name in placeholders(entry["evidence"]):
        if not name.endswith("_p"):
            continue
        stem = name[:-2]
        if stem not in sides:
            missing.append(f"{entry['id']}: no check puts {name} on a side of 0.05")
        elif sides[stem] == "<":
            sign = re.compile(rf"^{stem}_coef [<>] 0$")
            if stem.endswith("_max"):
                sign = re.compile(r"_same_sign$")
            if not any(sign.search(c) for c in checks):
                missing.append(f"{entry['id']}: {name} is significant, no sign check")
    return missing


def placeholders(template: str) -> list[str]:
    """The named placeholders of an evidence template, in order of first appearance."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(template)))


# What the `sig` spec prints, by language of the template (the Chinese edition fills
# the translated template with the same values: book/_ext/translated_outputs.py).
SIGNIFICANCE_WORDS = {
    "en": ("significant at 5%", "not significant at 5%"),
    "zh_CN": ("在 5% 水平上显著", "在 5% 水平上不显著"),
}


class _EvidenceFormatter(string.Formatter):
    """str.format with two extra specs: `p` (a p-value as 'p = 0.034' or 'p < 0.001')
    and `sig`.
    """

    def __init__(self, language: str = "en"):
        self.significance = SIGNIFICANCE_WORDS[language]

    def format_field(self, value, format_spec):
        if format_spec == "p":
            return p_text(value)
        if format_spec == "sig":
            return self.significance[0 if value < 0.05 else 1]
        return super().format_field(value, format_spec)


def format_evidence(template: str, values: dict, language: str = "en") -> str:
    """An evidence template (English, or its translation) filled with values."""
    return _EvidenceFormatter(language).format(template, **values)


def _check(entry: dict, values: dict) -> None:
    """Evaluate the entry's `checks` (Python comparisons on the values) so a verdict
    cannot outlive its data.
    """
    for expression in entry.get("checks") or []:
        names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression)) - {
            "and",
            "or",
            "not",
            "abs",
        }
        missing = names - set(values)
        if missing:
            raise KeyError(
                f"{entry['id']}: check {expression!r} needs value(s) {sorted(missing)}"
            )
        if not eval(expression, {"__builtins__": {}, "abs": abs}, dict(values)):  # noqa: S307 (our own file)
            raise ValueError(
                f"{entry['id']}: verdict {entry['verdict']!r} rests on {expression!r}, "
                "which no longer holds with the values computed on the page; revisit "
                "the verdict"
            )


def fill_evidence(entry: dict, values: dict | None = None) -> str:
    """The entry's evidence with its placeholders filled from values (KeyError names
    what is missing).

    values maps placeholder names to numbers or text; a value under the entry's own id
    (values["P1-2"] = {...}) is a dict of placeholders for that entry alone, so entries
    of one chapter can reuse names like within_p.
    """
    return format_evidence(entry["evidence"], evidence_values(entry, values))


def evidence_values(entry: dict, values: dict | None = None) -> dict:
    """The values an entry's evidence template reads, checked (see fill_evidence)."""
    values = values or {}
    values = {
        **{k: v for k, v in values.items() if not ID_PATTERN.match(k)},
        **values.get(entry["id"], {}),
    }
    missing = [name for name in placeholders(entry["evidence"]) if name not in values]
    if missing:
        raise KeyError(f"{entry['id']}: the page did not pass {', '.join(missing)}")
    for name in placeholders(entry["evidence"]):
        value = values[name]
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"{entry['id']}: value {name} is NaN")
    _check(entry, values)
    return {name: values[name] for name in placeholders(entry["evidence"])}


def lever_values(slope, term: str, outcome: str = "uri") -> dict:
    """Placeholders for one lever's premise: within/between slope and p, years and
    province-years (within), from a page's slope(term, comparison, outcome) function
    that returns a row of its lever table.
    """
    within, between = slope(term, "within", outcome), slope(term, "between", outcome)
    return {
        "within_coef": within["coef"],
        "within_p": within["p"],
        "between_coef": between["coef"],
        "between_p": between["p"],
        "years": within["years"],
        "n_obs": int(within["n_obs"]),
    }


def glue_key(claim_id: str) -> str:
    """The glue key under which a chapter page stores a claim's filled evidence."""
    return f"claim_{claim_id}"


def anchor(claim_id: str) -> str:
    """The HTML id of a claim's row on its chapter page (the ledger links to it)."""
    return f"claim-{claim_id.lower()}"


def part_entries(prefix: str, path: Path | None = None) -> list[dict]:
    """The entries whose id starts with prefix ('M', 'C1', ...), in file order."""
    entries = [e for e in load_claims(path) if e["id"].startswith(prefix)]
    if not entries:
        raise ValueError(f"no claims with id prefix {prefix!r} in the claims file")
    return entries


_BLOCK_STYLE = (
    "border-top:1px solid #ccc;padding:0.5em 0;max-width:100%;overflow-wrap:anywhere;"
    "white-space:normal"
)
_VERDICT_STYLE = "font-weight:600;white-space:nowrap"


DOMAIN = "claims"  # the gettext domain of the texts below and of book/claims.yml's
EVIDENCE_LABEL, MEASURE_LABEL = "Evidence:", "Measure:"
SHARED_TEMPLATE = "The same regression serves {ids}."
_LATIN = re.compile("[A-Za-z]")


def _t(text: str) -> str:
    """A claims text as the Chinese edition translates it (helpers.l10n)."""
    return mark(text, DOMAIN)


def _source_note(entry: dict, before: str, after: str = "") -> str:
    return "" if entry["source"] == "paper" else before + _t(entry["source"]) + after


def _point(entry: dict) -> str:
    """Where the point sits (二.1 一是); a point with English words is translated."""
    point = entry["point"]
    return _t(point) if _LATIN.search(point) else html.escape(point)


def _card(
    entry: dict, evidence: str | None, values: dict | None, with_anchor: bool
) -> str:
    """One claim as a block that reads on a phone: id and verdict first, then text."""
    e = {k: html.escape(str(v)) for k, v in entry.items() if isinstance(v, (str, int))}
    ident = f' id="{anchor(entry["id"])}"' if with_anchor else ""
    lines = [
        f'<div class="claim-entry"{ident} style="{_BLOCK_STYLE}">',
        f'<p style="margin:0"><strong>{e["id"]}</strong> · <span class="claim-verdict" '
        f'style="{_VERDICT_STYLE}">{_t(entry["verdict"])}</span></p>',
        f'<p style="margin:0.2em 0"><span lang="zh-CN">「{e["paper"]}」</span> '
        f"<small>({_point(entry)}{_source_note(entry, ' (', ')')})</small></p>",
        f'<p style="margin:0.2em 0">{_t(entry["claim"])}</p>',
    ]
    if evidence is not None:
        filled = mark(evidence, DOMAIN, entry["evidence"], values)
        lines.append(
            f'<p style="margin:0.2em 0"><em>{_t(EVIDENCE_LABEL)}</em> {filled}</p>'
        )
    lines.append("</div>")
    return "\n".join(lines)


class ClaimsView:
    """Claims shown as blocks (HTML in the site and JupyterLab; text elsewhere)."""

    def __init__(
        self,
        entries: list[dict],
        evidence: dict[str, str] | None,
        with_anchor: bool,
        values: dict[str, dict] | None = None,
    ):
        self.entries, self.evidence, self.with_anchor = entries, evidence, with_anchor
        self.values = values or {}

    @property
    def data(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.entries)[["id", "point", "paper", "claim", "verdict"]]
        if self.evidence is not None:
            frame["evidence"] = [self.evidence[e["id"]] for e in self.entries]
        return frame

    def _repr_html_(self) -> str:
        ev = self.evidence or {}
        return "\n".join(
            _card(
                e,
                ev.get(e["id"]) if self.evidence is not None else None,
                self.values.get(e["id"]),
                self.with_anchor,
            )
            for e in self.entries
        )

    def __repr__(self) -> str:
        return "\n".join(
            f"{e['id']} [{e['verdict']}] {e['claim']}" for e in self.entries
        )


def claims_table(
    prefix: str, values: dict | None = None, path: Path | None = None, glue: bool = True
):
    """A chapter's claims. Without values: id, the paper's phrase, claim and verdict.
    With the values the page computed: also the filled evidence, each glued as
    `claim_<id>` for the ledger, and an anchor per claim.
    """
    entries = part_entries(prefix, path)
    if values is None:
        return ClaimsView(entries, None, with_anchor=False)
    used = {e["id"]: evidence_values(e, values) for e in entries}
    evidence = {e["id"]: format_evidence(e["evidence"], used[e["id"]]) for e in entries}
    if glue:
        from myst_nb import glue as myst_glue

        for claim_id, text in evidence.items():
            myst_glue(glue_key(claim_id), text, display=False)
    return ClaimsView(entries, evidence, with_anchor=True, values=used)


def claims_frame(entries: list[dict]) -> pd.DataFrame:
    """The claims as a table with one row per claim."""
    return pd.DataFrame(entries)


def verdict_counts(path: Path | None = None) -> pd.Series:
    """How many claims have each verdict, in the fixed order of VERDICTS."""
    frame = claims_frame(load_claims(path))
    return frame["verdict"].value_counts().reindex(VERDICTS, fill_value=0)


def verdict_counts_by_part(path: Path | None = None) -> pd.DataFrame:
    """Verdict counts with one column per part and a total (verdicts no entry has are
    left out).
    """
    frame = claims_frame(load_claims(path))
    frame["part"] = frame["id"].str[0].map(PART_TITLES)
    table = pd.crosstab(frame["verdict"], frame["part"]).reindex(
        columns=list(PART_TITLES.values()), fill_value=0
    )
    table = table.reindex([v for v in VERDICTS if v in table.index])
    table["All"] = table.sum(axis=1)
    table.columns = [
        "Part I 第一部分",
        "Part II 第二部分",
        "Part III 第三部分",
        "All 合计",
    ]
    return table.rename_axis("verdict").rename_axis(None, axis=1)


def ledger_markdown(
    part: str, path: Path | None = None, page_dir: str = "appendix"
) -> str:
    """One part of the ledger as MyST Markdown: each entry's id links to its row on the
    chapter page, and its evidence is pasted from that page with cross-document glue
    ({glue:text}`../<chapter>.md::claim_<id>:s`).
    """
    blocks = []
    for entry in part_entries(part, path):
        link = f"../{entry['chapter']}.html#{anchor(entry['id'])}"
        shared = ""
        if entry.get("shared_with"):
            ids = ", ".join(entry["shared_with"])
            filled = SHARED_TEMPLATE.format(ids=ids)
            shared = " " + mark(filled, DOMAIN, SHARED_TEMPLATE, {"ids": ids})
        grade = _t(entry["criteria"]["measure"] + ".")
        blocks.append(
            f'<a href="{link}"><strong>{entry["id"]}</strong></a> · '
            f"**{_t(entry['verdict'])}** "
            f"· {_point(entry)}{_source_note(entry, '; ')}\n"
            f': <span lang="zh-CN">「{entry["paper"]}」</span>\n\n'
            f"  {_t(entry['claim'])}\n\n  *{_t(EVIDENCE_LABEL)}* "
            f"{{glue:text}}`../{entry['chapter']}.md::{glue_key(entry['id'])}:s`{shared}\n\n"
            f"  *{_t(MEASURE_LABEL)}* {grade} {_t(entry['measure_reason'])}\n"
        )
    return "\n".join(blocks)


def translatable_texts(entries: list[dict]) -> list[str]:
    """Every text of the claims the Chinese edition translates (the template of the
    claims domain, tools/translations.py), in file order, each once.
    """
    texts = [EVIDENCE_LABEL, MEASURE_LABEL, SHARED_TEMPLATE]
    texts += [*VERDICTS, *(f"{measure}." for measure in MEASURES)]
    texts += [s for s in SOURCES if s != "paper"]
    for entry in entries:
        if _LATIN.search(entry["point"]):
            texts.append(entry["point"])
        texts += [entry["claim"], entry["evidence"], entry["measure_reason"]]
    return list(dict.fromkeys(texts))


def rubric_markdown() -> str:
    """The verdict rubric as a MyST definition list, its principles, then the measure
    grades it reads (one text, shown on the ledger and methods pages).
    """
    terms = "\n".join(f"{verdict}\n: {text}\n" for verdict, text in RUBRIC.items())
    principles = "\n".join(f"- {line}" for line in RUBRIC_PRINCIPLES)
    grades = "\n".join(f"{grade}\n: {text}\n" for grade, text in MEASURE_GRADES.items())
    return (
        f"{terms}\n{principles}\n\n**Measure strength.** How well our data measure "
        "a claim is graded by one definition for every entry:\n\n"
        f"{grades}"
    )

"""The browser explorers on the built site, in headless Chromium with every other host
blocked.

On each page with an explorer: changing each control changes what the explorer shows;
the index builder's weights, scores and ranking and the province explorer's latest-year
values equal the tested Python callbacks (helpers.explorers.index_builder, .province)
for the settings tried, to the digits shown; a scenario explorer shows, for each amount
tried, the sentence of the step the slider is on, read from the build's own table (the
Python callbacks wrote it: tests/test_explorers.py checks that table against run).
No console error, no request to another host; the weight the explorers add to a page is
printed, and pages without one load none of it. Screenshots of two explorers in use, at
390 px and 1366 px, go to $BROWSER_SCREENSHOTS for a human to look at.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import ROOT, toc_files
from tests.test_browser import (  # noqa: F401
    LOCAL,
    SCREENSHOTS,
    base_url,
    browser,
    site_url,
)

pytestmark = [pytest.mark.browser, pytest.mark.build]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
LIMIT = 1_500_000  # bytes an explorer page may add (issue 23)
EXPLORERS = {
    "book/paths/tech_innovation": ["rd-intensity", "index-builder"],
    "book/paths/industrial_innovation": ["invention-patents"],
    "book/paths/factor_allocation": ["internet-penetration", "province"],
    "book/paths/hardware": ["railway-mileage"],
}

# Every text of an explorer's SVG, in document order (a multi-line text joined by
# spaces).
TEXTS_JS = """(id) => [...document.querySelectorAll(`#explorer-${id} svg text`)]
  .map(t => {
  const spans = [...t.querySelectorAll('tspan')];
  return spans.length ? spans.map(s => s.textContent).join(' ') : t.textContent; })"""


def open_page(browser, base_url, page_name, viewport):  # noqa: F811
    """A fresh tab (empty cache) on a page: records problems, other-host requests and
    the bytes of each response.
    """
    context = browser.new_context(viewport=viewport)
    outside, problems, sizes = [], [], {}

    def route(request_route):
        if request_route.request.url.startswith(LOCAL):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on(
        "console",
        lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"),
    )
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    def record(request):
        sizes[request.url] = request.sizes()["responseBodySize"]

    tab.on("requestfinished", record)
    tab.goto(f"{base_url}/{page_name}.html", wait_until="load")
    tab.outside, tab.problems, tab.sizes = outside, problems, sizes
    return tab


def wait_ready(tab, name):
    tab.wait_for_selector(f"#explorer-{name}[data-ready]", timeout=30_000)
    assert tab.get_attribute(f"#explorer-{name}", "data-ready") == "true"


def texts(tab, name) -> list[str]:
    return tab.evaluate(TEXTS_JS, name)


# Vega updates SVG text in place, so the document order of axis labels can lag behind
# their new order on screen: read where each is drawn.
TOPS_JS = """(id) => [...document.querySelectorAll(`#explorer-${id} svg text`)]
  .map(t => {
    const spans = [...t.querySelectorAll('tspan')];
    const text = spans.length ? spans.map(s => s.textContent).join(' ') : t.textContent;
    return [text, t.getBoundingClientRect().top]; })"""


def top_to_bottom(tab, name, wanted) -> list[str]:
    """The texts for which wanted(text) holds, from the top down, each once (a
    highlighted unit also appears in the legend, below the ranking).
    """
    placed = sorted((top, t) for t, top in tab.evaluate(TOPS_JS, name) if wanted(t))
    return list(dict.fromkeys(text for _, text in placed))


def settle(tab):
    """Let Vega re-run its dataflow and redraw after a control changed."""
    tab.wait_for_timeout(300)


def spec_of(tab, name) -> dict:
    return json.loads(
        tab.text_content(f"script.nqpf-explorer-spec[data-for='explorer-{name}']")
    )


def control(tab, name, label, exact=True):
    """The explorer's input with this accessible label (a labelled, focusable
    control); a slider's or a list's label also holds its value: match a prefix.
    """
    box = tab.locator(f"#explorer-{name}")
    # Form controls only: the charts' SVG groups carry aria-labels of their own.
    found = box.get_by_label(label.strip(), exact=exact).and_(
        box.locator("input, select")
    )
    assert found.count() == 1, f"{name}: no single control labelled {label!r}"
    return found


# ------------------------------------------------------------------ scenarios

SCENARIOS = [
    (page, name)
    for page, names in EXPLORERS.items()
    for name in names
    if name not in ("index-builder", "province")
]


def sentence(tab, name) -> str:
    found = [t for t in texts(tab, name) if t.startswith("Raising")]
    assert len(found) == 1, f"{name}: expected one sentence, found {found}"
    return found[0]


@pytest.mark.parametrize("page_name,name", SCENARIOS)
def test_scenario_slider_moves_the_reading(browser, base_url, page_name, name):  # noqa: F811
    tab = open_page(browser, base_url, page_name, DESKTOP)
    wait_ready(tab, name)
    spec = spec_of(tab, name)
    rows = next(iter(spec["datasets"].values()))
    by_amount = {round(row["amount"], 10): row for row in rows}
    slider = tab.locator(f"#explorer-{name} input[type=range]")
    assert slider.count() == 1
    label = tab.locator(f"#explorer-{name} .vega-bind-name").first.inner_text()
    assert re.search(r"[\u4e00-\u9fff]", label) and re.search(r"[a-z]", label), (
        f"{name}: slider label {label!r} is not bilingual"
    )
    step = float(slider.get_attribute("step"))
    start = float(slider.input_value())
    seen = []
    # The keyboard moves it (as a reader without a mouse does), then two set values.
    slider.focus()
    tab.keyboard.press("ArrowRight")
    settle(tab)
    for target in (None, 0.0, max(by_amount)):
        if target is not None:
            slider.fill(str(target))
            settle(tab)
        value = round(float(slider.input_value()), 10)
        if target is None:
            assert value == pytest.approx(start + step), "ArrowRight did not move it"
        shown = sentence(tab, name)
        expected = " ".join(by_amount[value]["sentence"].split())
        assert " ".join(shown.split()) == expected, f"{name} at {value}"
        seen.append(shown)
    assert len(set(seen)) == 3, f"{name}: the reading did not change with the slider"
    assert tab.problems == [] and tab.outside == [], (tab.problems, tab.outside)
    tab.context.close()


# ------------------------------------------------------------------ index builder


@pytest.fixture(scope="module")
def nqpf_panel():
    """The page's panel: Part I's frame with the province labels the page uses."""
    from helpers import measures, nqpf, nqpf_models

    frame = nqpf_models.build_analysis_data(nqpf_models.load_inputs()).frame
    panel = frame.assign(province=frame["province_zh"] + " " + frame["province_en"])
    labels = {s.name: (s.label_zh, s.label_en) for s in nqpf.NQPF_INDICATORS}
    return panel, measures.signs(nqpf.NQPF_INDICATORS), labels


def builder_shows(tab, units) -> dict:
    """The weights, the ranked units and their scores the index builder draws."""
    shown = texts(tab, "index-builder")
    ranked = top_to_bottom(tab, "index-builder", lambda text: text in units)
    weights = {}
    for text in shown:
        found = re.fullmatch(r"(\d\.\d{3})  (.+)", text)
        if found:
            weights[found.group(2)] = found.group(1)
    scores = sorted((t for t in shown if re.fullmatch(r"\d\.\d{3}", t)), reverse=True)
    return {"weights": weights, "ranked": ranked, "scores": scores}


def python_says(panel, signs, labels, chosen, method, raw, year):
    from helpers.explorers import index_builder

    view = index_builder.build_view(
        panel, signs, chosen, method, raw, entity="province"
    )
    table = index_builder.ranking(view, year)
    weights = {
        f"{labels[k][1]} {labels[k][0]}": f"{w:.3f}" for k, w in view.weights.items()
    }
    return {
        "weights": weights,
        "ranked": table["province"].tolist(),
        "scores": sorted(f"{s:.3f}" for s in table["score"])[::-1],
    }


def test_index_builder_recomputes_the_python_index(browser, base_url, nqpf_panel):  # noqa: F811
    from helpers.explorers import index_builder

    panel, signs, labels = nqpf_panel
    name = "index-builder"
    tab = open_page(browser, base_url, "book/paths/tech_innovation", DESKTOP)
    wait_ready(tab, name)
    units = set(panel["province"])
    year = index_builder.default_year(
        index_builder.build_view(panel, signs, entity="province")
    )
    label = {k: f"{labels[k][1]} {labels[k][0]}" for k in signs}
    chosen = list(signs)
    raw = {k: 1.0 for k in signs}
    method = "entropy"
    settings = []

    def check(what):
        settle(tab)
        shown = builder_shows(tab, units)
        expected = python_says(
            panel, signs, labels, chosen, method, {k: raw[k] for k in chosen}, year
        )
        assert shown == expected, f"{what}: browser {shown} != Python {expected}"
        settings.append(json.dumps(shown, sort_keys=True))

    check("default: entropy, all indicators")
    for key in ("tech_market", "energy_intensity"):  # untick two indicators
        control(tab, name, label[key]).uncheck()
        chosen.remove(key)
    check("five indicators, entropy")
    control(tab, name, "equal 等权").check()
    method = "equal"
    check("equal weights")
    control(tab, name, "custom 自定义").check()
    method = "custom"
    for key, value in (("rd_intensity", 4.0), ("digital_finance", 0.5)):
        slider = control(tab, name, f"custom weight 自定义权重: {label[key]}", False)
        slider.fill(str(value))
        raw[key] = value
    check("custom weights")
    control(tab, name, "Year 年份", False).select_option(str(year - 3))
    year -= 3
    check("an earlier year")
    highlight = control(tab, name, "Highlight 突出显示 1", False)
    before = texts(tab, name)
    highlight.select_option("甘肃 Gansu")
    settle(tab)
    after = texts(tab, name)
    assert after != before and after.count("甘肃 Gansu") > before.count("甘肃 Gansu"), (
        "the highlight did not add Gansu to the legend"
    )
    assert len(set(settings)) == len(settings), "a control changed nothing shown"
    control(tab, name, label["rd_intensity"]).uncheck()
    for key in chosen:
        control(tab, name, label[key]).uncheck()
    settle(tab)
    assert any("Tick at least one indicator" in t for t in texts(tab, name))
    assert tab.problems == [] and tab.outside == [], (tab.problems, tab.outside)
    tab.context.close()


# ------------------------------------------------------------------ province


def test_province_explorer_follows_the_list(browser, base_url, nqpf_panel):  # noqa: F811
    from helpers.data import region_names
    from helpers.explorers import province

    panel = nqpf_panel[0]
    indicators = ["nqpf", "uri", "income_ratio", "internet_penetration"]
    name = "province"
    tab = open_page(browser, base_url, "book/paths/factor_allocation", DESKTOP)
    wait_ready(tab, name)
    chooser = control(tab, name, "Province 省份", False)
    shown_before = None
    for unit in ("贵州 Guizhou", "北京 Beijing", "甘肃 Gansu"):
        chooser.select_option(unit)
        settle(tab)
        gaps = province.province_gaps(
            province.province_view(panel, unit, indicators, entity="province")
        ).set_index("indicator")
        lines = top_to_bottom(tab, name, lambda text: f": {unit} " in text)
        assert len(lines) == len(indicators), f"{unit}: {lines}"
        region = panel.loc[panel["province"] == unit, "region"].iloc[0]
        region = f"{region} {region_names()[region]}"
        for indicator, line in zip(indicators, lines):
            row = gaps.loc[indicator]
            expected = (
                f"{int(row['year'])}: {unit} {row['province']:.3f} · {region} mean "
                f"{row['region_mean']:.3f} · mean of provinces "
                f"{row['national_mean']:.3f}"
            )
            assert line.endswith(expected), f"{unit} {indicator}: {line}"
        assert lines != shown_before
        shown_before = lines
    assert tab.problems == [] and tab.outside == [], (tab.problems, tab.outside)
    tab.context.close()


# ------------------------------------------------------------------ weight, phones


def explorer_bytes(tab) -> int:
    """Bytes the explorers add: their script and stylesheet as transferred, and the
    specs and notes inside the page.
    """
    assets = sum(
        size
        for url, size in tab.sizes.items()
        if "/_static/explorers/" in url or url.endswith("/explorers.css")
    )
    inline = tab.evaluate(
        """() => [...document.querySelectorAll(
          'script.nqpf-explorer-spec, .nqpf-explorer-note')]
          .reduce((n, e) => n + new TextEncoder().encode(e.outerHTML).length, 0)"""
    )
    return assets + inline


def test_explorer_weight_is_reported_and_other_pages_load_none(browser, base_url):  # noqa: F811
    report = {}
    for page_name in toc_files():
        tab = open_page(browser, base_url, page_name, DESKTOP)
        added = explorer_bytes(tab)
        tab.context.close()
        if page_name in EXPLORERS:
            report[page_name] = added
            assert 0 < added <= LIMIT, f"{page_name} adds {added} bytes"
        else:
            assert added == 0, f"{page_name} has no explorer but loads {added} bytes"
    print("\nBytes the browser explorers add (transferred, empty cache):")
    for page_name, added in report.items():
        print(f"  {page_name}: {added:,} bytes ({added / 1e6:.2f} MB)")
    assert set(report) == set(EXPLORERS)


@pytest.mark.parametrize(
    "page_name,name,act",
    [
        ("book/paths/tech_innovation", "index-builder", "equal"),
        ("book/paths/factor_allocation", "province", "北京 Beijing"),
    ],
)
def test_screenshots_of_two_explorers_in_use(browser, base_url, page_name, name, act):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        tab = open_page(browser, base_url, page_name, viewport)
        wait_ready(tab, name)
        box = tab.locator(f"#explorer-{name}")
        if name == "province":
            control(tab, name, "Province 省份", False).select_option(act)
        else:
            control(tab, name, "equal 等权").check()
        settle(tab)
        width = tab.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= viewport["width"], f"{label}: the page scrolls sideways"
        # What the reader sees: the screen at the controls, then at the chart.
        for part, where in (("controls", box), ("chart", box.locator("svg").first)):
            # Instant, not the theme's smooth scrolling; clear of the sticky header.
            where.evaluate(
                """e => { e.scrollIntoView({behavior: 'instant'});
                          window.scrollBy({top: -70, behavior: 'instant'}); }"""
            )
            settle(tab)
            shot = SCREENSHOTS / f"explorer-{name}-{label}-{part}.png"
            tab.screenshot(path=str(shot))
        assert tab.problems == [] and tab.outside == []
        tab.context.close()


def test_explorer_pages_are_the_ones_listed():
    """Every page whose source calls a browser explorer is tried above."""
    pages = {
        source.relative_to(ROOT).with_suffix("").as_posix()
        for source in (ROOT / "book").rglob("*.md")
        if "browser." in source.read_text(encoding="utf-8")
        and "helpers.explorers import browser" in source.read_text(encoding="utf-8")
    }
    assert pages == set(EXPLORERS)

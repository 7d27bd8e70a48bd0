"""The built site in a real browser: headless Chromium against _build/html served on
localhost.

Every toc page loads without console errors or broken images and gives every image alt
text; Figure 1 shows; next/previous and sidebar links walk the book in toc order; search
finds 新质生产力; a phone-sized screen needs no horizontal scrolling; Chinese text is
drawn with real glyphs, marked lang="zh-CN" so it gets Simplified forms. On a 390-px
phone the sidebar buttons open the contents, and claims verdicts and the key column of
readable tables are on screen. With every other host blocked, every formula of the
methods appendix is typeset (MathJax is served by the site).

Chromium comes from Debian (`chromium`, installed by .ci/run); Playwright drives it.
Without it the tests skip, unless REQUIRE_BROWSER=1 (CI), where a missing browser is a
failure. Screenshots go to $BROWSER_SCREENSHOTS (default /tmp/nqpf-browser-screenshots)
for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.conftest import ROOT, toc_files

pytestmark = [pytest.mark.browser, pytest.mark.build]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(
    os.environ.get("BROWSER_SCREENSHOTS", "/tmp/nqpf-browser-screenshots")
)
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
LAPTOP = {"width": 1366, "height": 768}
FIGURE_1 = "fig-c1-digital-literacy"


def unavailable(reason: str):
    """Skip the browser tests, or fail them when the environment promises a browser
    (REQUIRE_BROWSER=1).
    """
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(
        f"{reason} (install Debian's chromium, or set REQUIRE_BROWSER=1 to make this a "
        "failure)"
    )


def chromium_path() -> str | None:
    """The Chromium executable: $CHROMIUM, else chromium on PATH, else Debian's
    /usr/bin/chromium.
    """
    candidates = [
        os.environ.get("CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test output is for failures, not for every GET
        pass


@pytest.fixture(scope="session")
def site_url(site):
    """Serve the built site (both editions) on a free localhost port for the whole
    session.
    """
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# The English edition at the site root, the Chinese one (中文版) under zh/: every test
# runs on both.
EDITIONS = {"en": "", "zh": "/zh"}


@pytest.fixture(scope="module", params=list(EDITIONS))
def base_url(request, site_url, site):
    if not (site / EDITIONS[request.param].strip("/") / "index.html").is_file():
        pytest.fail(f"no {request.param} edition in {site}: run `make book`")
    return site_url + EDITIONS[request.param]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (module scope: Playwright's sync
    API allows one running instance per thread, and other test modules start their own).
    """
    executable = chromium_path()
    if executable is None:
        unavailable("no Chromium executable found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as exc:  # noqa: BLE001  (a browser that cannot start is the same as no browser)
        playwright.stop()
        unavailable(f"Chromium at {executable} did not start: {exc}")
    yield chromium
    chromium.close()
    playwright.stop()


LOCAL = "http://127.0.0.1"


def stub_external(route):
    """Answer requests to other hosts (MathJax, require.js CDNs) with an empty body: the
    tests check our site, and must pass offline.
    """
    if route.request.url.startswith(LOCAL):
        route.continue_()
    else:
        route.fulfill(status=200, body="", content_type="application/javascript")


def about_other_hosts(message: str) -> bool:
    """True for console messages about a stubbed resource from another host (e.g. its
    integrity hash).
    """
    urls = re.findall(r"https?://[^\s'\"]+", message)
    return bool(urls) and not any(url.startswith(LOCAL) for url in urls)


def new_page(browser, viewport):
    """A fresh tab that records console errors, page errors and failed requests."""
    context = browser.new_context(viewport=viewport)
    context.route("**/*", stub_external)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not about_other_hosts(msg.text)
            and page.problems.append(f"console: {msg.text}")
        ),
    )
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    # A request the browser cancels because the reader clicked to another page (a font
    # still loading) fails with net::ERR_ABORTED; that is not a fault of the site. A
    # missing file shows as HTTP 404 below.
    page.on(
        "requestfailed",
        lambda req: (
            req.failure != "net::ERR_ABORTED"
            and page.problems.append(f"request failed: {req.url} {req.failure}")
        ),
    )
    page.on(
        "response",
        lambda res: (
            res.status >= 400 and page.problems.append(f"HTTP {res.status}: {res.url}")
        ),
    )
    return page


# Load every image (lazy ones too), then report each one's file, size and alt text.
IMAGES_JS = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({
    src: img.getAttribute('src'), width: img.naturalWidth, complete: img.complete,
    alt: (img.getAttribute('alt') || '').trim()}));
}"""


# Where the page's own "next" and "previous" links point (absolute URLs, without
# anchors).
NAV_JS = """() => Object.fromEntries(
  ['a.right-next', 'a.left-prev', 'a.other-edition'].map(sel => {
  const link = document.querySelector(sel);
  return [sel, link ? link.href.split('#')[0] : null]; }))"""
WIDTHS_JS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


# Code blocks wider than their box at the current width, hidden cells opened first:
# the first line of each, and by how many pixels it overflows.
CODE_OVERFLOW_JS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  return [...document.querySelectorAll('div.highlight pre')]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => ({first: pre.textContent.split('\\n')[0].slice(0, 60),
                  overflow: pre.scrollWidth - pre.clientWidth}));
}"""


@pytest.mark.parametrize("name", toc_files())
def test_no_code_block_scrolls_sideways_on_a_laptop(browser, base_url, name):
    page = new_page(browser, LAPTOP)
    page.goto(f"{base_url}/{name}.html", wait_until="load")
    overflowing = page.evaluate(CODE_OVERFLOW_JS)
    page.context.close()
    assert overflowing == [], f"{name}: code blocks that scroll sideways: {overflowing}"


@pytest.fixture(scope="module")
def page_reports(browser, base_url):
    """Load every toc page once: its problems, images and next/previous links on a
    desktop screen, then its width after the window shrinks to a phone's (the layout
    reflows as on a phone).
    """
    page = new_page(browser, DESKTOP)
    reports = {}
    for name in toc_files():
        page.set_viewport_size(DESKTOP)
        page.problems.clear()
        page.goto(f"{base_url}/{name}.html", wait_until="load")
        images = page.evaluate(IMAGES_JS)
        navigation = page.evaluate(NAV_JS)
        page.set_viewport_size(PHONE)
        widths = page.evaluate(WIDTHS_JS)
        reports[name] = {
            "problems": list(page.problems),
            "images": images,
            "nav": navigation,
            "phone": widths,
        }
    page.context.close()
    return reports


@pytest.mark.parametrize("name", toc_files())
def test_page_loads_without_console_errors(page_reports, name):
    assert page_reports[name]["problems"] == [], (
        f"{name}: {page_reports[name]['problems']}"
    )


@pytest.mark.parametrize("name", toc_files())
def test_page_has_no_broken_images(page_reports, name):
    broken = [
        img["src"]
        for img in page_reports[name]["images"]
        if not (img["complete"] and img["width"] > 0)
    ]
    assert broken == [], f"{name}: images that did not load: {broken}"


@pytest.mark.parametrize("name", toc_files())
def test_every_image_has_alt_text(page_reports, name):
    missing = [img["src"] for img in page_reports[name]["images"] if not img["alt"]]
    assert missing == [], f"{name}: images without alt text: {missing}"


def test_figure_1_is_visible_on_the_tech_pull_page(browser, base_url):
    page = new_page(browser, DESKTOP)
    page.goto(
        f"{base_url}/book/constraints/tech_pull.html#{FIGURE_1}", wait_until="load"
    )
    image = page.locator(f"[id='{FIGURE_1}'] img").first
    image.scroll_into_view_if_needed()
    assert image.is_visible(), f"Figure 1 (#{FIGURE_1}) is not visible"
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0, (
        "Figure 1 did not load"
    )
    box = image.bounding_box()
    assert box["width"] > 300 and box["height"] > 150, (
        f"Figure 1 is drawn too small: {box}"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "figure1-desktop.png"))
    page.context.close()


def test_next_and_previous_links_chain_every_page_in_toc_order(page_reports, base_url):
    names = toc_files()
    for current, following in zip(names, names[1:]):
        assert (
            page_reports[current]["nav"]["a.right-next"]
            == f"{base_url}/{following}.html"
        ), current
        assert (
            page_reports[following]["nav"]["a.left-prev"]
            == f"{base_url}/{current}.html"
        ), following


def test_every_page_links_to_the_same_page_in_the_other_edition(
    page_reports, base_url, site_url
):
    """English page -> zh/page, Chinese page -> page: both ways on every page."""
    other = site_url if base_url != site_url else site_url + EDITIONS["zh"]
    wrong = {
        name: report["nav"]["a.other-edition"]
        for name, report in page_reports.items()
        if report["nav"]["a.other-edition"] != f"{other}/{name}.html"
    }
    assert wrong == {}, f"edition links not to {other}/<page>.html: {wrong}"


def test_clicking_the_edition_link_opens_the_same_page(browser, base_url, site_url):
    page = new_page(browser, DESKTOP)
    name = "book/mechanisms/factor_flow"
    page.goto(f"{base_url}/{name}.html", wait_until="load")
    page.locator("a.other-edition").first.click()
    page.wait_for_load_state("load")
    english = base_url == site_url
    assert page.url == f"{site_url}{EDITIONS['zh' if english else 'en']}/{name}.html"
    assert page.evaluate("document.documentElement.lang") == (
        "zh-CN" if english else "en"
    )
    page.context.close()


def test_clicking_next_and_previous_crosses_from_part_to_part(browser, base_url):
    """Click through every border between parts (last page of one part -> first of the
    next) and back.
    """
    names = toc_files()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    firsts = [part["chapters"][0]["file"] for part in toc["parts"]]
    page = new_page(browser, DESKTOP)
    for first in firsts:
        before = names[names.index(first) - 1]
        page.goto(f"{base_url}/{before}.html", wait_until="domcontentloaded")
        page.locator("a.right-next").first.click()
        page.wait_for_load_state("domcontentloaded")
        assert page.url.split("#")[0].endswith(f"/{first}.html"), (
            f"'next' on {before} led to {page.url}"
        )
        page.locator("a.left-prev").first.click()
        page.wait_for_load_state("domcontentloaded")
        assert page.url.split("#")[0].endswith(f"/{before}.html"), (
            f"'previous' on {first} led to {page.url}"
        )
    assert page.problems == []
    page.context.close()


def test_sidebar_links_reach_a_page_in_every_part(browser, base_url):
    page = new_page(browser, DESKTOP)
    page.goto(f"{base_url}/{toc_files()[0]}.html", wait_until="domcontentloaded")
    for target in [
        "book/mechanisms/factor_flow",
        "book/constraints/tech_pull",
        "book/paths/hardware",
        "book/appendix/claims_ledger",
    ]:
        link = page.locator(
            f"nav.bd-docs-nav a[href$='{target.split('/')[-1]}.html']"
        ).first
        link.click()
        page.wait_for_load_state("domcontentloaded")
        assert page.url.endswith(f"/{target}.html"), (
            f"sidebar link to {target} led to {page.url}"
        )
        assert page.locator("article h1").first.is_visible(), (
            f"{target}: no visible page title"
        )
    page.context.close()


def test_search_for_xinzhi_shengchanli_returns_results(browser, base_url):
    page = new_page(browser, DESKTOP)
    page.goto(f"{base_url}/search.html?q={quote('新质生产力')}", wait_until="load")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-xinzhi-shengchanli.png"))
    assert results.count() >= 3, f"only {results.count()} result(s) for 新质生产力"
    hrefs = [
        results.nth(i).locator("a").first.get_attribute("href")
        for i in range(results.count())
    ]
    assert any(
        "mechanisms/" in h or "constraints/" in h or "paths/" in h for h in hrefs
    ), hrefs
    page.context.close()


@pytest.mark.parametrize("name", toc_files())
def test_phone_screen_needs_no_horizontal_scrolling(page_reports, name):
    scroll_width, inner_width = page_reports[name]["phone"]
    assert scroll_width <= inner_width, (
        f"{name} is {scroll_width} px wide on a {inner_width} px phone screen"
    )


def test_phone_screenshot_of_the_figure_1_page(browser, base_url):
    page = new_page(browser, PHONE)
    page.goto(f"{base_url}/book/constraints/tech_pull.html", wait_until="load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tech-pull-phone.png"))
    assert page.evaluate(WIDTHS_JS)[0] <= PHONE["width"]
    page.context.close()


# Draw a character in the page's own font on a canvas and compare it with a private-use
# character, which no font has: if both give the same pixels, the browser is drawing
# "tofu" boxes instead of Chinese.
GLYPH_JS = """(text) => {
  const font = getComputedStyle(document.body).fontFamily;
  const draw = (ch) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext('2d');
    ctx.font = `48px ${font}`; ctx.fillText(ch, 4, 52);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
  };
  const tofu = draw('\\uE000');
  return [...text].filter(ch => draw(ch) === tofu);
}"""


def test_chinese_text_is_drawn_with_glyphs_not_boxes(browser, base_url):
    page = new_page(browser, DESKTOP)
    page.goto(f"{base_url}/{toc_files()[0]}.html", wait_until="load")
    assert "新质生产力" in page.inner_text("body"), (
        "the intro page does not show the term 新质生产力"
    )
    boxes = page.evaluate(GLYPH_JS, "新质生产力城乡融合")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "intro-desktop.png"))
    assert boxes == [], (
        f"characters drawn as empty boxes (no CJK font for the browser): {boxes}"
    )
    page.context.close()


SMALL_PHONE = {"width": 390, "height": 844}


def test_sidebar_toggles_open_the_table_of_contents_on_a_phone(browser, base_url):
    """Tap the two sidebar buttons at 390 px: the book's contents and the page's
    contents must slide in (with pydata-sphinx-theme 0.17.x neither moved).
    """
    context = browser.new_context(viewport=SMALL_PHONE, is_mobile=True, has_touch=True)
    context.route("**/*", stub_external)
    page = context.new_page()
    page.goto(f"{base_url}/book/constraints/tech_pull.html", wait_until="load")
    for toggle, sidebar in [
        (".primary-toggle", ".bd-sidebar-primary"),
        (".secondary-toggle", ".bd-sidebar-secondary"),
    ]:
        page.reload(wait_until="load")
        panel = page.locator(sidebar).first
        before = panel.bounding_box()
        assert (
            before is None
            or before["x"] >= SMALL_PHONE["width"]
            or before["x"] + before["width"] <= 0
        ), f"{sidebar} is on screen before its button is tapped: {before}"
        page.locator(f"{toggle}:visible").first.tap()
        page.wait_for_timeout(600)  # the slide-in transition
        after = panel.bounding_box()
        assert (
            after
            and after["x"] >= 0
            and after["x"] + after["width"] <= SMALL_PHONE["width"] + 1
        ), f"tapping {toggle} did not bring {sidebar} on screen: {after}"
        assert panel.locator("a").first.is_visible(), (
            f"{sidebar} opened without visible links"
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"phone-{toggle.strip('.')}.png"))
    context.close()


# Every formula on the page: MyST writes inline math as span.math and display math as
# div.math.
MATH_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const all = [...document.querySelectorAll('article span.math, article div.math')];
  return {total: all.length,
          typeset: all.filter(m => m.querySelector('mjx-container')).length,
          errors: [...document.querySelectorAll(
            'article mjx-merror, article [data-mjx-error]')].map(e => e.textContent),
          raw: all.filter(m => !m.querySelector('mjx-container'))
            .map(m => m.textContent.slice(0, 60))};
}"""


def test_every_formula_of_the_methods_appendix_renders_with_no_other_host(
    browser, base_url
):
    """Block every host but the local server: MathJax must come from the site, and
    typeset every formula.
    """
    context = browser.new_context(viewport=DESKTOP)
    elsewhere = []

    def local_only(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    page.goto(f"{base_url}/book/appendix/methods.html", wait_until="load")
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
        timeout=15000,
    )
    math = page.evaluate(MATH_JS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "methods-offline-math.png"))
    context.close()
    assert elsewhere == [], f"the methods page asked other hosts for {elsewhere}"
    assert math["total"] >= 10, (
        f"only {math['total']} formulas found on the methods page"
    )
    assert math["raw"] == [] and math["typeset"] == math["total"], (
        f"formulas left as LaTeX: {math['raw']}"
    )
    assert math["errors"] == [], f"MathJax errors: {math['errors']}"


# Han characters in the article's text that no lang="zh-CN" ancestor marks (code blocks
# and math aside).
UNMARKED_HAN_JS = """() => {
  const han = /[\\u3400-\\u4dbf\\u4e00-\\u9fff]/;
  const walker = document.createTreeWalker(
    document.querySelector('article'), NodeFilter.SHOW_TEXT);
  const unmarked = []; let marked = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!han.test(node.nodeValue)) continue;
    const el = node.parentElement;
    if (el.closest('pre, script, style, mjx-container, .math')) continue;
    const marking = el.closest('[lang]');
    if (marking && marking.getAttribute('lang') === 'zh-CN') marked++;
    else unmarked.push(node.nodeValue.trim().slice(0, 40));
  }
  return {marked, unmarked};
}"""


@pytest.mark.parametrize(
    "name", ["book/intro", "book/constraints/tech_pull", "book/appendix/glossary"]
)
def test_chinese_text_is_marked_as_simplified_chinese(browser, base_url, name):
    page = new_page(browser, DESKTOP)
    page.goto(f"{base_url}/{name}.html", wait_until="load")
    found = page.evaluate(UNMARKED_HAN_JS)
    page.context.close()
    assert found["marked"] > 0, f"{name}: no Chinese text found"
    assert found["unmarked"] == [], (
        f"{name}: Chinese text without lang=zh-CN: {found['unmarked'][:10]}"
    )


def test_lang_zh_cn_draws_simplified_glyphs_not_japanese_ones(browser, base_url):
    """直 and 说 have different forms in Simplified Chinese and Japanese fonts: lang
    must change the pixels, or marking the text would not matter to the reader.
    """
    page = new_page(browser, DESKTOP)
    page.goto(f"{base_url}/book/intro.html", wait_until="load")
    page.evaluate("""() => { for (const lang of ['zh-CN', 'ja']) {
        const s = document.createElement('span');
        s.id = 'glyph-' + lang; s.lang = lang; s.textContent = '直说户';
        s.style.cssText = 'font-size:64px;display:inline-block;'
          + 'background:#fff;color:#000;padding:4px';
        document.querySelector('article').prepend(s); } }""")
    chinese = page.locator("#glyph-zh-CN").screenshot()
    japanese = page.locator("#glyph-ja").screenshot()
    page.context.close()
    assert chinese != japanese, (
        "lang=zh-CN and lang=ja draw the same glyphs: the browser ignores the marking"
    )


# Where each claim's verdict, and each pinned key column of a readable table, sits on a
# 390-px screen.
KEY_CELLS_JS = """() => [...document.querySelectorAll(
    'article .claim-verdict, article table.nqpf-table td')]
  .filter(el => el.matches('.claim-verdict')
    || getComputedStyle(el).position === 'sticky')
  .map(el => {
    el.scrollIntoView({block: 'center'});
    const box = el.getBoundingClientRect();
    return {text: el.textContent.trim().slice(0, 30), left: box.left, right: box.right};
  })"""


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in toc_files()
        if n.split("/")[1] in {"mechanisms", "constraints", "paths"}
    ]
    + ["book/intro"],
)
def test_key_columns_are_on_screen_on_a_phone(browser, base_url, name):
    """The verdict of every claim, and the key column of every readable table, without
    scrolling sideways.
    """
    page = new_page(browser, SMALL_PHONE)
    page.goto(f"{base_url}/{name}.html", wait_until="load")
    cells = page.evaluate(KEY_CELLS_JS)
    page.context.close()
    off_screen = [
        c for c in cells if c["left"] < 0 or c["right"] > SMALL_PHONE["width"]
    ]
    assert off_screen == [], f"{name}: key cells off a 390-px screen: {off_screen[:5]}"


def test_a_wide_readable_table_keeps_its_key_column_on_a_phone_screen(
    browser, base_url
):
    """A ten-column table on a 390-px phone: the table scrolls inside its box, the page
    does not, and the key column (pinned by helpers.tables) is on screen from the start.
    """
    import pandas as pd

    from helpers.tables import readable_table

    frame = pd.DataFrame({f"indicator_{i}": [1234.5 * i, None] for i in range(8)})
    frame["estimate"] = [0.123, -0.456]
    frame["verdict"] = ["not testable with our data", "mixed"]
    table = readable_table(frame, key="verdict", decimals=3).to_html()
    page = new_page(browser, SMALL_PHONE)
    page.goto(f"{base_url}/book/intro.html", wait_until="load")
    page.evaluate(
        """(html) => { const box = document.createElement('div');
        box.className = 'cell_output';
        box.innerHTML = '<div class="output text_html">' + html + '</div>';
        document.querySelector('article h1').after(box); }""",
        table,
    )
    cells = page.evaluate("""() => [...document.querySelectorAll('table.nqpf-table td')]
        .filter(td => getComputedStyle(td).position === 'sticky')
        .map(td => {
          const b = td.getBoundingClientRect();
          return [td.textContent, b.left, b.right];
        })""")
    widths = page.evaluate(WIDTHS_JS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-wide-table.png"))
    page.context.close()
    assert [c[0] for c in cells] == ["not testable with our data", "mixed"]
    assert all(
        0 <= left and right <= SMALL_PHONE["width"] for _, left, right in cells
    ), cells
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


# --------------------------------------------------------------------------------------
# Figures a phone can read (issue 19)

PHONE_390 = {"width": 390, "height": 844}
SMALLEST_TEXT_PX = {"phone": 8.0, "laptop": 11.0}

# Every figure of the page: its file and the width the page gives it (CSS px).
FIGURES_JS = """async () => {
  const images = [...document.querySelectorAll('article img')].filter(
    img => img.closest('.cell_output, figure'));
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({src: img.getAttribute('src'), natural: img.naturalWidth,
                             shown: img.getBoundingClientRect().width}));
}"""


def drawn_text_px(font_pt: float, dpi: float, image_px: int, shown_px: float) -> float:
    """Height of the em of font_pt-point text, drawn at dpi into an image_px-wide image
    that the page shows shown_px CSS pixels wide.
    """
    return font_pt * dpi / 72 * shown_px / image_px


def test_drawn_text_size_worked_by_hand():
    # A 5.6-inch figure at 200 dpi (1120 px) in a phone's 342-px column: 10-pt text is
    # 10 * 200/72 * 342/1120 = 8.48 px. A 10-inch side-by-side figure: 4.75 px.
    assert drawn_text_px(10, 200, 1120, 342) == pytest.approx(8.482, abs=1e-3)
    assert drawn_text_px(10, 200, 2000, 342) == pytest.approx(4.75, abs=1e-2)
    assert drawn_text_px(8, 100, 600, 600) == pytest.approx(11.11, abs=1e-2)


@pytest.fixture(scope="module")
def figure_sizes(browser, base_url, site):
    """Each figure of the book at both widths: smallest font (recorded by
    helpers.style.sharp_png when the page ran), dpi and pixels of its PNG, and the width
    the page gives it. Written to figure-text-sizes.txt beside the screenshots.
    """
    import posixpath

    from PIL import Image

    from helpers.style import SMALLEST_FONT_KEY

    rows = []
    for screen, viewport in (("phone", PHONE_390), ("laptop", LAPTOP)):
        page = new_page(browser, viewport)
        for name in toc_files():
            page.goto(f"{base_url}/{name}.html", wait_until="load")
            for number, image in enumerate(page.evaluate(FIGURES_JS), 1):
                path = site / posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), image["src"])
                )
                with Image.open(path) as png:
                    font = png.info.get(SMALLEST_FONT_KEY)
                    dpi = png.info.get("dpi", (72, 72))[0]
                    width = png.width
                px = (
                    drawn_text_px(float(font), dpi, width, image["shown"])
                    if font
                    else None
                )
                rows.append(
                    {
                        "screen": screen,
                        "page": name,
                        "figure": number,
                        "file": path.name,
                        "font_pt": font,
                        "dpi": round(dpi),
                        "image_px": width,
                        "shown_px": round(image["shown"]),
                        "px": px,
                    }
                )
        page.context.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "figure-text-sizes.txt").write_text(
        "\n".join(
            f"{r['screen']:6s} {r['page']:38s} fig {r['figure']} {r['font_pt']} pt "
            f"{r['dpi']} dpi {r['image_px']} px shown {r['shown_px']} px -> "
            + (f"{r['px']:.1f} px" if r["px"] else "no record")
            for r in rows
        )
        + "\n",
        encoding="utf-8",
    )
    return rows


def test_the_book_has_figures_to_measure(figure_sizes):
    assert len({(r["page"], r["figure"]) for r in figure_sizes}) >= 30


@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_every_figure_s_smallest_text_is_readable(figure_sizes, screen):
    """At least 8 CSS px on a 390-px phone, 11 px on a 1366-px laptop, for the smallest
    text of every figure (its smallest font, recorded by matplotlib when the page ran).
    """
    rows = [r for r in figure_sizes if r["screen"] == screen]
    unrecorded = [(r["page"], r["figure"]) for r in rows if r["px"] is None]
    assert unrecorded == [], f"figures without a recorded smallest font: {unrecorded}"
    small = [
        f"{r['page']} figure {r['figure']}: {r['px']:.1f} px"
        for r in rows
        if r["px"] < SMALLEST_TEXT_PX[screen]
    ]
    assert small == [], (
        f"text under {SMALLEST_TEXT_PX[screen]} px on a {screen}: {small}"
    )


def test_every_figure_is_sharp_on_a_2x_screen(figure_sizes):
    """Each figure has at least two image pixels for every CSS pixel it is shown at."""
    soft = [
        f"{r['page']} figure {r['figure']}: {r['image_px']} px shown {r['shown_px']}"
        for r in figure_sizes
        if r["image_px"] < 2 * r["shown_px"] - 1
    ]
    assert soft == [], soft


@pytest.mark.parametrize(
    "name",
    [
        "book/constraints/tech_pull",
        "book/mechanisms/factor_flow",
        "book/constraints/industry_linkage",
        "book/paths/tech_innovation",
        "book/appendix/data",
    ],
)
def test_phone_screenshots_of_figures(browser, base_url, name):
    """Screenshots of the first figures of five pages on a 390-px phone, for a human to
    look at; each figure fits the screen.
    """
    page = new_page(browser, PHONE_390)
    page.goto(f"{base_url}/{name}.html", wait_until="load")
    images = page.locator("article .cell_output img")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for k in range(min(2, images.count())):
        image = images.nth(k)
        image.scroll_into_view_if_needed()
        box = image.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"]
        slug = name.replace("/", "-")
        page.screenshot(path=str(SCREENSHOTS / f"phone-figure-{slug}-{k + 1}.png"))
    page.context.close()


# --------------------------------------------------------------------------------------
# Tables that fit (issue 19)

# Tables of the article wider than its text column, and the column's width.
WIDE_TABLES_JS = """() => {
  const column = document.querySelector('article.bd-article');
  const width = column.clientWidth - parseFloat(getComputedStyle(column).paddingLeft)
                - parseFloat(getComputedStyle(column).paddingRight);
  return [...column.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => ({width: t.scrollWidth, column: width,
                caption: (t.querySelector('caption, th') || {}).textContent || ''}))
    .filter(t => t.width > t.column + 1);
}"""
MAX_WIDE_TABLES = 5


def test_at_most_five_tables_are_wider_than_the_text_column_on_a_laptop(
    browser, base_url
):
    page = new_page(browser, LAPTOP)
    wide = {}
    for name in toc_files():
        page.goto(f"{base_url}/{name}.html", wait_until="load")
        wide.update(
            {f"{name} #{k}": t for k, t in enumerate(page.evaluate(WIDE_TABLES_JS))}
        )
    page.context.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "wide-tables.txt").write_text(
        "".join(f"{k}: {t}\n" for k, t in wide.items()), encoding="utf-8"
    )
    assert len(wide) <= MAX_WIDE_TABLES, f"{len(wide)} wide tables: {wide}"


def test_a_wide_numeric_table_scrolls_in_its_box_with_its_first_column_in_view(
    browser, base_url
):
    """Any table of cell output wider than the column: the page does not scroll, the
    table's box does, and its first column stays on screen after scrolling the box.
    """
    import pandas as pd

    frame = pd.DataFrame(
        {f"indicator_{i}": [1234.5 * i, 2.5] for i in range(12)},
        index=pd.Index(["Beijing 北京", "Hebei 河北"], name="province"),
    )
    page = new_page(browser, SMALL_PHONE)
    page.goto(f"{base_url}/book/intro.html", wait_until="load")
    page.evaluate(
        """(html) => { const box = document.createElement('div');
        box.className = 'cell_output';
        box.innerHTML = '<div class="output text_html" id="wide-test">' + html
                        + '</div>';
        document.querySelector('article h1').after(box); }""",
        frame.to_html(),
    )
    page.evaluate("() => { document.getElementById('wide-test').scrollLeft = 400; }")
    first = page.evaluate("""() => [...document.querySelectorAll('#wide-test tbody th')]
        .map(th => {
          const b = th.getBoundingClientRect(); return [b.left, b.right]; })""")
    scrolled = page.evaluate("() => document.getElementById('wide-test').scrollLeft")
    widths = page.evaluate(WIDTHS_JS)
    page.context.close()
    assert scrolled > 0, "the table's box does not scroll"
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    assert first and all(0 <= left < SMALL_PHONE["width"] for left, _ in first), first


# --------------------------------------------------------------------------------------
# Search finds words, not only glossary entries (issue 19)


def article_texts(site) -> dict[str, str]:
    """The text of each toc page's article (what the search indexes), tags removed."""
    import html as html_module

    texts = {}
    for name in toc_files():
        page = (site / f"{name}.html").read_text(encoding="utf-8")
        article = page[page.index("<article") : page.rindex("</article>")]
        article = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", article)
        # The link to the other edition (中文版) is interface, not the page's text.
        article = re.sub(r'(?is)<p class="other-edition">.*?</p>', " ", article)
        texts[name] = html_module.unescape(re.sub(r"<[^>]+>", "", article))
    return texts


def words_from_the_pages(texts: dict[str, str], how_many: int = 12) -> list[str]:
    """Chinese words a reader may type, taken from the pages: jieba's dictionary words
    (HMM off) of 2-4 characters that several pages contain, spread over how common they
    are, plus 城镇化率 and 城乡融合, which stand inside longer words on some pages.
    """
    import jieba

    jieba.setLogLevel(60)
    han = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
    words = {w for text in texts.values() for w in jieba.cut(text, HMM=False)}
    counts = {
        w: sum(w in text for text in texts.values()) for w in words if han.match(w)
    }
    common = sorted(
        (w for w, n in counts.items() if n >= 2), key=lambda w: (-counts[w], w)
    )
    step = max(1, len(common) // how_many)
    return ["城镇化率", "城乡融合"] + common[::step][:how_many]


def test_site_search_finds_every_page_that_contains_a_word(browser, base_url, site):
    chinese = base_url.endswith(EDITIONS["zh"])
    texts = article_texts(site / "zh" if chinese else site)  # this edition's pages
    page = new_page(browser, DESKTOP)
    missed = {}
    for word in words_from_the_pages(texts):
        expected = {name for name, text in texts.items() if word in text}
        page.goto(f"{base_url}/search.html?q={quote(word)}", wait_until="load")
        page.wait_for_function(
            "() => (document.querySelector('#search-results p.search-summary') || "
            "{textContent: ''}).textContent.trim() !== ''",
            timeout=30000,
        )
        hrefs = page.evaluate(
            "() => [...document.querySelectorAll('#search-results ul.search li > a')]"
            ".map(a => a.getAttribute('href'))"
        )
        found = {re.sub(r"\.html.*$", "", h).lstrip("./") for h in hrefs}
        if expected - found:
            missed[word] = sorted(expected - found)
    page.context.close()
    assert missed == {}, (
        f"pages that contain the word but search does not find: {missed}"
    )


def test_the_series_breaks_table_is_a_list_on_a_phone(browser, base_url):
    """On a 390-px phone the data appendix's long-text tables stack: no wider than the
    screen, each shown cell labelled with its column, no empty cell shown.
    """
    page = new_page(browser, SMALL_PHONE)
    page.goto(f"{base_url}/book/appendix/data.html", wait_until="load")
    tables = page.evaluate("""() => [...document.querySelectorAll('table.nqpf-stacks')]
        .map(t => { const cells = [...t.querySelectorAll('tbody tr > *')]
                      .filter(c => c.getBoundingClientRect().height > 0);
          return {width: t.scrollWidth, height: t.getBoundingClientRect().height,
                  unlabelled: cells.filter(c => !c.dataset.label).length,
                  empty: cells.filter(
                    c => ['', '–'].includes(c.textContent.trim())).length,
                  breaks: t.textContent.includes('income_survey_2013')}; })""")
    widths = page.evaluate(WIDTHS_JS)
    page.screenshot(path=str(SCREENSHOTS / "phone-data-appendix-lists.png"))
    page.context.close()
    assert any(t["breaks"] for t in tables), "the series-breaks table is not a list"
    for table in tables:
        assert table["width"] <= SMALL_PHONE["width"], table
        assert table["unlabelled"] == 0 and table["empty"] == 0, table
    assert widths[0] <= widths[1], widths

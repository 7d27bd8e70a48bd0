"""Open book pages in a real JupyterLab prepared as Binder prepares it, Run All, and
count what a reader sees.

Usage (from the repository root; about a minute per page on a quiet machine):

    .venv/bin/python tools/jupyterlab_check.py book/constraints/tech_pull.md
    book/paths/factor_allocation.md .venv/bin/python tools/jupyterlab_check.py --json
    PAGE.md ... # one JSON line per page at the end .venv/bin/python
    tools/jupyterlab_check.py --screenshots DIR PAGE.md # default
    /tmp/nqpf-jupyterlab-screenshots

What it does, as mybinder.org does it: the environment is the project's .venv (checked
against the lock, requirements.txt, for jupyterlab, jupyterlab_myst and jupytext); the
project's files are copied to a scratch folder, `postBuild` runs there with a scratch
HOME and JUPYTER_CONFIG_DIR (nothing reaches your own Jupyter settings or the working
tree), and `jupyter lab` serves that copy on localhost. Headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright) opens each page (a MyST .md file, opened by
Jupytext as a notebook), runs Run All, waits for the kernel, then counts, per page:

- raw: pieces of MyST markup left as text in the rendered Markdown cells
  (```{directive}, :::, (label)=, {{ substitution }}, a role name in braces), "Unknown
  Directive" boxes (e.g. {glue:figure}), and roles that jupyterlab-myst shows as bare
  text (any {glue...} role shows its key, {doc} its path), each with an excerpt;
- unresolved: cross-references jupyterlab-myst cannot resolve ({ref}/{numref} to a label
  on another page or in a code cell's metadata) and shows as the label beside a warning
  sign. Link to another page with a Markdown link to its .md file instead ([data
  appendix](../appendix/data.md)): Sphinx and JupyterLab both follow it;
- citations: {cite:p} keys, which JupyterLab shows as the key beside a warning sign
  (reported, not failed);
- evals: inline {eval} expressions, and how many of them failed or stayed without a
  value;
- errors: error outputs of code cells (the exception names);
- figures: image outputs (PNG/SVG) of code cells, against the images in the built site
  page (_build/html/<page>.html, or --site DIR; "site: not built" when it is missing).

A page passes when raw == 0, unresolved == 0, errors == 0, every eval has a value, and
figures == site figures. JavaScript errors of the JupyterLab page are printed too (with
JupyterLab's lazy cell "windowing", jupyterlab-myst left evals unevaluated after one;
postBuild turns windowing off). Screenshots (top of the page, and the first figure) go
to --screenshots; look at them. The exit status is 1 when a page fails.
tests/test_jupyterlab.py runs this on tech_pull, factor_flow and factor_allocation
(RUN_SLOW=1).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from worktree import copy_project  # noqa: E402

LOCK_CHECKED = ["jupyterlab", "jupyterlab_myst", "jupytext"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 1000}

# MyST that a renderer should have turned into something else; seen as text it is raw
# markup.
RAW_PATTERNS = {
    # {eval}`x`, {glue:text}, {ref}, {cite:p}, {numref} ...
    "role": r"\{[a-z][\w.-]*(?::[\w.-]+)?\}`?",
    "fence": r"```|~~~",  # ```{code-cell}, ```{figure} left as text
    "colon fence": r"(?m)^\s*:::",  # :::{note}
    "target": r"(?m)^\s*\([\w:.-]+\)=\s*$",  # (label)=
    "substitution": r"\{\{[^}]*\}\}",  # {{ name }}
    "directive option": r"(?m)^\s*:(?:name|label|class|alt|width|caption|tags):\s",
}


def lock_versions(root: Path = ROOT) -> dict[str, str]:
    """Pinned versions of the checked packages in requirements.txt (names normalised to
    underscores).
    """
    pins = {}
    for line in (root / "requirements.txt").read_text().splitlines():
        match = re.match(r"([A-Za-z0-9_.-]+)==([^\s;#]+)", line.strip())
        if match:
            pins[match.group(1).lower().replace("-", "_")] = match.group(2)
    return {name: pins.get(name, "not in the lock") for name in LOCK_CHECKED}


def installed_versions(python: Path) -> dict[str, str]:
    code = (
        "import json, importlib.metadata as m\n"
        f"names = {LOCK_CHECKED!r}\n"
        "out = {}\n"
        "for n in names:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: out[n] = 'missing'\n"
        "print(json.dumps(out))"
    )
    result = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def count_raw(text: str) -> list[str]:
    """Each piece of raw MyST markup in rendered text, as a short excerpt around it."""
    found = []
    for kind, pattern in RAW_PATTERNS.items():
        for match in re.finditer(pattern, text):
            start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
            found.append(f"{kind}: ...{text[start:end]}...".replace("\n", " "))
    return found


def site_figures(site: Path, page: str) -> int | None:
    """Images inside the article of the built site page (cell outputs and figures), None
    when not built.
    """
    html_file = site / Path(page).with_suffix(".html")
    if not html_file.is_file():
        return None
    html = html_file.read_text(encoding="utf-8")
    start = html.find("<article")
    end = html.rfind("</article>")
    article = html[start:end] if start >= 0 and end > start else html
    return len(re.findall(r"<img\b", article))


class Lab:
    """A JupyterLab server on a scratch copy of the project, with scratch HOME and
    Jupyter config.
    """

    def __init__(self, venv: Path, workdir: Path, log):
        self.venv, self.workdir, self.log = venv, workdir, log
        self.repo = copy_project(workdir / "repo")
        self.home = workdir / "home"
        self.home.mkdir()
        env = {
            k: v
            for k, v in os.environ.items()
            if k
            not in {
                "PYTHONPATH",
                "VIRTUAL_ENV",
                "JUPYTER_PATH",
                "JUPYTER_DATA_DIR",
                "JUPYTER_RUNTIME_DIR",
                "JUPYTER_CONFIG_PATH",
                "IPYTHONDIR",
                "MPLCONFIGDIR",
                "NQPF_WRITE_OUTPUTS",
            }
        }
        env.update(
            HOME=str(self.home),
            JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
            PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', os.defpath)}",
        )
        self.env = env
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.process = None

    def post_build(self) -> float:
        started = time.perf_counter()
        result = subprocess.run(
            ["bash", "./postBuild"],
            cwd=self.repo,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"postBuild failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return time.perf_counter() - started

    def start(self) -> str:
        command = [
            str(self.venv / "bin" / "jupyter"),
            "lab",
            "--no-browser",
            f"--port={self.port}",
            "--ip=127.0.0.1",
            "--allow-root",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.repo}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        self.logfile = open(self.workdir / "jupyterlab.log", "w")
        self.process = subprocess.Popen(
            command,
            cwd=self.repo,
            env=self.env,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{self.port}"
        for _ in range(240):
            if self.process.poll() is not None:
                raise RuntimeError(
                    "jupyter lab exited: "
                    f"{(self.workdir / 'jupyterlab.log').read_text()[-3000:]}"
                )
            try:
                urllib.request.urlopen(
                    f"{url}/api/status?token={self.token}", timeout=2
                )
                return url
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("jupyter lab did not answer within 120 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if getattr(self, "logfile", None):
            self.logfile.close()


# State of the current notebook: is anything still running, and what each cell holds.
STATE_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.map(cell => {
    const model = cell.model;
    const out = {type: model.type};
    if (model.type === 'code') {
      out.running = model.executionState === 'running'
        || cell.promptNode && /\\*/.test(cell.promptNode.textContent);
      out.count = model.executionCount;
      out.outputs = model.outputs.toJSON().map(o => ({
        type: o.output_type, ename: o.ename || null,
        mimes: Object.keys(o.data || {})}));
    } else if (model.type === 'markdown') {
      const rendered = cell.node.querySelector(
        '.jp-RenderedMarkdown, .jp-MarkdownOutput, .myst');
      const clone = rendered ? rendered.cloneNode(true) : null;
      // KaTeX keeps the LaTeX source in a hidden MathML annotation: not something a
      // reader sees.
      if (clone) clone.querySelectorAll('.katex-mathml, annotation, mjx-assistive-mml')
        .forEach(n => n.remove());
      out.rendered = !!cell.rendered;
      out.text = clone ? clone.textContent : '';
      out.unknown = clone
        ? [...clone.querySelectorAll('.myst-exercise-title, div, span')]
          .filter(n => n.children.length <= 1
            && /Unknown (Directive|Role)/.test(n.textContent))
          .map(n => n.textContent.trim())
        : [];
      out.unresolved = clone ? [...clone.querySelectorAll('[title$="Not Found"]')]
        .map(n => `${n.getAttribute('title')}: ${n.textContent.trim()}`) : [];
      const ue = model.getMetadata ? model.getMetadata('user_expressions') : null;
      out.evals = (ue || []).map(e => ({
        expression: e.expression, status: e.result && e.result.status}));
      out.source = model.sharedModel.getSource();
    }
    return out;
  });
  return {kernel: kernel ? kernel.status : 'none', cells};
}"""


def wait_for_notebook(page, timeout: float):
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget && "
        "window.jupyterapp.shell.currentWidget.content && "
        "window.jupyterapp.shell.currentWidget.content.widgets.length > 0",
        timeout=timeout * 1000,
    )
    page.wait_for_function(
        "() => { const p = window.jupyterapp.shell.currentWidget; "
        "const k = p.sessionContext.session && p.sessionContext.session.kernel; "
        "return k && k.status === 'idle'; }",
        timeout=timeout * 1000,
    )


def run_all(page, timeout: float) -> dict:
    """Run All, then wait until the kernel is idle and no cell runs, twice in a row."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline, quiet = time.monotonic() + timeout, 0
    time.sleep(2)
    while time.monotonic() < deadline:
        state = page.evaluate(STATE_JS)
        busy = state["kernel"] != "idle" or any(
            c.get("running") for c in state["cells"]
        )
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            return state
        time.sleep(1)
    raise TimeoutError(f"Run All did not finish within {timeout:.0f} s")


# Roles that jupyterlab-myst renders; any other role shows as bare text (glue keys,
# {doc} paths), so it counts as raw markup. Citations and cross-references it cannot
# resolve show their key beside a warning sign.
RENDERED_ROLES = {
    "eval",
    "ref",
    "numref",
    "eq",
    "cite",
    "cite:p",
    "cite:t",
    "cite:ps",
    "cite:ts",
    "term",
    "abbr",
    "sub",
    "sup",
    "subscript",
    "superscript",
    "math",
    "del",
    "strike",
    "u",
    "underline",
    "smallcaps",
    "sc",
    "kbd",
    "keyboard",
    "chem",
    "chemistry",
    "button",
    "doi",
    "index",
    "span",
}
ROLE_IN_SOURCE = re.compile(r"\{([a-z][\w.-]*(?::[\w.-]+)?)\}`([^`]*)`")


def report_for(state: dict) -> dict:
    """Counts for one notebook state (see the module docstring)."""
    raw, unresolved, citations, evals, failed_evals, errors, figures = (
        [],
        [],
        [],
        0,
        [],
        [],
        0,
    )
    for cell in state["cells"]:
        if cell["type"] == "markdown":
            raw.extend(count_raw(cell["text"]))
            raw.extend(f"unknown: {u}" for u in cell["unknown"])
            # roles shown as code are not markup
            source = re.sub(r"(?s)```.*?```", "", cell["source"])
            raw.extend(
                f"bare role: {{{name}}}`{body}`"
                for name, body in ROLE_IN_SOURCE.findall(source)
                if name not in RENDERED_ROLES
            )
            for item in cell["unresolved"]:
                (citations if item.startswith("Citation") else unresolved).append(item)
            expected = len(re.findall(r"\{eval\}`", source))
            evals += expected
            failed_evals.extend(
                f"{e['expression']}: {e['status']}"
                for e in cell["evals"]
                if e["status"] != "ok"
            )
            if len(cell["evals"]) < expected:
                failed_evals.append(
                    f"{expected - len(cell['evals'])} eval(s) not evaluated in: "
                    f"{source[:80]!r}"
                )
        elif cell["type"] == "code":
            for output in cell["outputs"]:
                if output["type"] == "error":
                    errors.append(output["ename"])
                if {"image/png", "image/svg+xml", "image/jpeg"} & set(output["mimes"]):
                    figures += 1
    return {
        "raw": len(raw),
        "raw_examples": raw[:10],
        "unresolved": unresolved,
        "citations": len(citations),
        "evals": evals,
        "evals_failed": failed_evals,
        "errors": errors,
        "figures": figures,
    }


def screenshot(page, folder: Path, stem: str):
    folder.mkdir(parents=True, exist_ok=True)
    no_news = page.get_by_role("button", name="No", exact=True)
    # the "get notified about Jupyter news?" toast would cover the page
    if no_news.count():
        no_news.first.click()
    page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0"
    )
    page.evaluate(
        "() => { const n = window.jupyterapp.shell.currentWidget.content; "
        "n.scrollToItem(0); }"
    )
    time.sleep(1)
    page.screenshot(path=str(folder / f"{stem}-top.png"))
    image = page.locator(".jp-OutputArea-output img").first
    if image.count():
        image.scroll_into_view_if_needed()
        time.sleep(1)
        page.screenshot(path=str(folder / f"{stem}-figure.png"))


def check(
    pages: list[str], venv: Path, site: Path, shots: Path, timeout: float, log=print
) -> list[dict]:
    wanted, have = lock_versions(), installed_versions(venv / "bin" / "python")
    if wanted != have:
        raise RuntimeError(
            f"the environment is not the lock's: requirements.txt {wanted}, {venv} "
            f"{have}"
        )
    chromium = (
        os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or "chromium"
    )
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="nqpf-jupyterlab-"))
    lab = Lab(venv, workdir, log)
    results = []
    try:
        seconds = lab.post_build()
        log(
            f"postBuild ran in {seconds:.0f} s (scratch copy {lab.repo}, HOME "
            f"{lab.home})"
        )
        url = lab.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            for name in pages:
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page_errors = []
                page.on(
                    "pageerror",
                    lambda exc, errors=page_errors: errors.append(str(exc)[:200]),
                )
                started = time.perf_counter()
                page.goto(
                    f"{url}/lab/tree/{name}?token={lab.token}&reset", wait_until="load"
                )
                wait_for_notebook(page, timeout)
                # The page must have opened as a notebook (Jupytext), not in the text
                # editor.
                state = run_all(page, timeout)
                result = {
                    "page": name,
                    **report_for(state),
                    "site_figures": site_figures(site, name),
                    "page_errors": page_errors,
                    "seconds": round(time.perf_counter() - started),
                }
                result["ok"] = (
                    result["raw"] == 0
                    and not result["unresolved"]
                    and not result["errors"]
                    and not result["evals_failed"]
                    and result["figures"] == result["site_figures"]
                )
                screenshot(page, shots, Path(name).stem)
                results.append(result)
                site_text = (
                    "not built"
                    if result["site_figures"] is None
                    else result["site_figures"]
                )
                log(
                    f"{name}: raw MyST {result['raw']}, unresolved references "
                    f"{len(result['unresolved'])} (citations shown as keys: "
                    f"{result['citations']}), evals {result['evals']} "
                    f"({len(result['evals_failed'])} without value), errors "
                    f"{len(result['errors'])} {result['errors'] or ''}, figures "
                    f"{result['figures']} (site: {site_text}), {result['seconds']} s "
                    f"-> {'ok' if result['ok'] else 'FAIL'}"
                )
                for example in result["raw_examples"]:
                    log(f"    {example}")
                for item in result["unresolved"][:5]:
                    log(f"    unresolved {item}")
                for failure in result["evals_failed"][:5]:
                    log(f"    eval {failure}")
                for error in page_errors[:5]:
                    log(f"    JupyterLab page error (JavaScript): {error}")
                page.context.close()
            browser.close()
    finally:
        lab.stop()
        if os.environ.get("KEEP_JUPYTERLAB_SCRATCH") != "1":
            shutil.rmtree(workdir, ignore_errors=True)
    log(f"screenshots in {shots}")
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "pages",
        nargs="+",
        help="page paths relative to the repository root (book/.../x.md)",
    )
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=Path(tempfile.gettempdir()) / "nqpf-jupyterlab-screenshots",
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds for one page's Run All"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="end with one JSON line: the list of results",
    )
    args = parser.parse_args(argv)
    log = (
        (lambda *a: print(*a, file=sys.stderr, flush=True))
        if args.json
        else (lambda *a: print(*a, flush=True))
    )
    results = check(
        args.pages,
        args.venv.absolute(),
        args.site.absolute(),
        args.screenshots,
        args.timeout,
        log,
    )
    if args.json:
        print(json.dumps(results))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

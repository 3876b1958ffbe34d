"""The documentation site (`make docs`): built from the data, complete, offline.

The site is built once per session, as `make docs` does (Sphinx, every page
read again, warnings as errors, into docs/_build/html). The checks read the built HTML:
every factor id of every edition has its row in the edition's catalogue,
every questionnaire field its row on its type's page with its default factor;
every internal link and anchor resolves; no page loads a resource from the
network. The last test opens the site in Debian's headless chromium and
fails on a console error or a request leaving localhost; screenshots go to
test-artifacts/docs/.
"""

from __future__ import annotations

import csv
import functools
import http.server
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from carbonclap_methods.factors import available_editions, resolve_edition
from carbonclap_methods.templates import list_templates

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs" / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts" / "docs"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
# Tags and attributes a browser fetches by itself (links <a href> are not fetched).
RESOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src",
                  "video": "src", "audio": "src", "embed": "src", "object": "data",
                  "link": "href"}


@pytest.fixture(scope="session")
def site() -> Path:
    """Build the site as `make docs` does (-E -W) and return its folder."""
    run = subprocess.run([sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-q", "-b", "html",
                          str(ROOT / "docs"), str(SITE)], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 0, f"sphinx failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return SITE


class _Page(HTMLParser):
    """Ids, links and fetched resources of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        wanted = RESOURCE_ATTRS.get(tag)
        if wanted and attrs.get(wanted):
            if tag != "link" or not {"canonical", "alternate"} & set((attrs.get("rel") or "").split()):
                self.resources.append(attrs[wanted])


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_sources" not in p.parts)


def _row(page_html: str, anchor: str) -> str:
    """The table row holding the element with id ``anchor``."""
    at = page_html.index(f'id="{anchor}"')
    return page_html[page_html.rindex("<tr", 0, at):page_html.index("</tr>", at)]


def test_every_factor_of_every_edition_has_its_row(site):
    editions = available_editions()
    assert editions
    for name in editions:
        page = (site / "generated" / "factors" / f"{name}.html").read_text(encoding="utf-8")
        with open(resolve_edition(name) / "factors.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows
        for row in rows:
            html_row = _row(page, f"f-{row['id']}")
            assert f"<code class=\"docutils literal notranslate\"><span class=\"pre\">{row['id']}" \
                   f"</span></code>" in html_row, row["id"]
            assert f">{float(row['value']):.10g}<" in html_row, (name, row["id"], row["value"])
            if row["source_id"]:
                assert row["source_id"].replace("&", "&amp;") in html_row, (name, row["id"])
            assert f">{float(row['uncertainty_pct']):.10g}<" in html_row, (name, row["id"])


def test_every_questionnaire_field_has_its_row(site):
    templates = list_templates()
    assert len(templates) >= 14
    for template in templates:
        page = (site / "generated" / "questionnaires" / f"{template.type}.html").read_text(
            encoding="utf-8")
        for section in template.sections:
            assert f'id="{template.type}-{section.id}"' in page, (template.type, section.id)
            for item in section.fields:
                html_row = _row(page, f"{template.type}-{section.id}-{item.id}")
                assert f"#f-{item.default_factor}\"" in html_row, (template.type, item.id)
                for choice in item.choices:
                    assert f"#f-{choice}\"" in html_row, (template.type, item.id, choice)


def test_every_study_notebook_is_rendered(site):
    for notebook in sorted((ROOT / "studies").glob("*.ipynb")):
        page = site / "generated" / "studies" / f"{notebook.stem}.html"
        assert page.is_file(), notebook.name
        assert "<img" in page.read_text(encoding="utf-8") or "<svg" in page.read_text(
            encoding="utf-8"), f"{notebook.name}: no chart rendered from its outputs"


def test_internal_links_and_anchors_resolve(site):
    broken = []
    for path in _pages(site):
        for href in _parse(path).links:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith("//"):
                continue
            target = (path.parent / unquote(parsed.path)).resolve() if parsed.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(site)}: {href} (no file)")
            elif parsed.fragment and target.suffix == ".html" and \
                    unquote(parsed.fragment) not in _parse(target).ids:
                broken.append(f"{path.relative_to(site)}: {href} (no anchor)")
    assert broken == [], f"{len(broken)} broken links, e.g. {broken[:10]}"


def test_no_page_loads_anything_from_the_network(site):
    external = []
    for path in _pages(site):
        for url in _parse(path).resources:
            if re.match(r"^(https?:)?//", url, re.IGNORECASE):
                external.append(f"{path.relative_to(site)}: {url}")
    for css in (site / "_static").rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import)\s*['\"]?((?:https?:)?//[^'\")\s]+)",
                              css.read_text(encoding="utf-8", errors="replace")):
            external.append(f"{css.relative_to(site)}: {url}")
    assert external == []


def test_generated_pages_are_not_committed():
    tracked = subprocess.run(["git", "ls-files", "docs/generated", "docs/_build"], cwd=ROOT,
                             capture_output=True, text=True).stdout.split()
    assert tracked == []


# ---------------------------------------------------------------------------
# The site in a real browser

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served_site(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install "
                                                  "chromium; .ci/run installs it)")
def test_site_opens_in_a_browser_offline(served_site):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = {"index": "index.html", "method": "method.html",
             "questionnaire": "generated/questionnaires/podcast.html",
             "catalogue": "generated/factors/{}.html".format(available_editions()[-1])}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            for width, height in ((1280, 800), (1920, 1080)):
                page = browser.new_page(viewport={"width": width, "height": height})
                requests, errors = [], []
                page.on("request", lambda request: requests.append(request.url))
                page.on("console", lambda m: m.type == "error" and errors.append(m.text))
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
                for name, path in pages.items():
                    page.goto(f"{served_site}/{path}", wait_until="networkidle")
                    assert page.title(), path
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
                page.close()
                leaving = [u for u in requests
                           if urlparse(u).hostname not in ("127.0.0.1", "localhost")
                           and not u.startswith(("data:", "blob:"))]
                assert leaving == [], f"requests leaving localhost: {leaving[:10]}"
                assert errors == [], f"console errors: {errors[:10]}"
        finally:
            browser.close()

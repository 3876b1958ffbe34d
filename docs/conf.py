"""Sphinx configuration of the carbonclap-methods documentation (``make docs``).

The pages under ``generated/`` are written by ``generate.py`` at the start of
every build, from the templates, the factor editions, the study notebooks and
the package's modules. Notebooks are rendered from their committed outputs
(myst-nb, execution off). The site loads nothing from the network.
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))

import carbonclap_methods  # noqa: E402
from carbonclap_methods.factors import available_editions  # noqa: E402
import generate  # noqa: E402

generate.generate()

project = "carbonclap-methods"
author = "carbonclap-methods contributors"
copyright = "carbonclap-methods contributors; factor data under the licences of their sources"
release = carbonclap_methods.__version__
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "numpydoc",
    "sphinxarg.ext",
]
exclude_patterns = ["generated/method/*", "_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}

# Notebooks: render the committed outputs, never execute; static images first;
# no ipywidgets JavaScript (it would load from a CDN).
nb_execution_mode = "off"
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [("html", "image/svg+xml", 0), ("html", "image/png", 1),
                              ("html", "text/html", 2), ("html", "text/plain", 3)]

# API: numpydoc renders the docstrings; signatures keep the type hints.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()

html_theme = "pydata_sphinx_theme"
html_title = "carbonclap-methods"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_css_files = ["carbonclap.css"]
html_last_updated_fmt = None
html_context = {"default_mode": "light"}
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_end": ["theme-switcher"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    # The long tables of the questionnaires and catalogues get the page's width
    # (their sections are listed at the top of the page instead).
    # Patterns may not overlap as wildcards (the theme warns): `*` is one level.
    "secondary_sidebar_items": {
        "*": ["page-toc"], "generated/studies/*": ["page-toc"], "generated/api/*": ["page-toc"],
        "generated/factors/*": ["page-toc"], "generated/questionnaires/*": [],
        **{f"generated/factors/{name}": [] for name in available_editions()},
    },
}
html_sidebars = {"**": ["sidebar-nav-bs"], "index": [], "getting_started": [], "method": [],
                 "cli": [], "contributing": []}


from sphinx.transforms import SphinxTransform  # noqa: E402


class ApiSectionsAreNotLabels(SphinxTransform):
    """Headings inside module docstrings ("References", "Modelling assumption")
    are sections of their API page, not site-wide labels: several modules have
    a "References" section, which would otherwise be a duplicate label."""

    default_priority = 840  # before SphinxDomains (850) registers labels

    def apply(self, **kwargs) -> None:
        if self.env.docname.startswith("generated/api/"):
            for name, explicit in list(self.document.nametypes.items()):
                if explicit:
                    self.document.nametypes[name] = False


def remove_stale_pages(app, exception) -> None:
    """Delete built pages whose source is gone (a removed study, module or
    edition), so that an incremental build shows only what exists."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    keep = {out / f"{doc}.html" for doc in app.env.found_docs}
    keep |= {out / f"{name}.html" for name in ("genindex", "search", "py-modindex")}
    for page in out.rglob("*.html"):
        if page not in keep and not {"_static", "_sources", "_images"} & set(page.relative_to(out).parts):
            page.unlink()


def setup(app):
    app.add_transform(ApiSectionsAreNotLabels)
    app.connect("build-finished", remove_stale_pages)
    return {"parallel_read_safe": True}

"""Where the package's own data lives, found with ``importlib.resources``.

The repository keeps its data in top-level folders where users look for
them (``factors/``, ``studies/``, ``notebooks/``, ``examples/``);
``pyproject.toml`` maps each into the package as a data subpackage, so the
same names resolve to the checkout's folders in an editable install and to
the copies inside an installed wheel:

==============================================  =================
package                                         repository folder
==============================================  =================
``carbonclap_methods.editions``                 ``factors/``
``carbonclap_methods.study_notebooks``          ``studies/``
``carbonclap_methods.notebooks``                ``notebooks/``
``carbonclap_methods.examples``                 ``examples/``
==============================================  =================

Nothing here imports from the rest of the package (a leaf module).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "carbonclap_methods"


def folder(name: str) -> Path:
    """The folder of the data subpackage ``carbonclap_methods.<name>``.

    Parameters
    ----------
    name : str
        ``editions``, ``study_notebooks``, ``notebooks`` or ``examples``.

    Returns
    -------
    pathlib.Path
        A folder on disk (wheels install unzipped; a zipped install is not
        supported, papermill and Voilà need real files).
    """
    return Path(str(resources.files(f"{PACKAGE}.{name}")))


def editions() -> Path:
    """The editions shipped with the package (``factors/`` of the repository)."""
    return folder("editions")


def studies() -> Path:
    """The study notebooks (``studies/``)."""
    return folder("study_notebooks")


def package_data() -> Path:
    """The package's own tables (``carbonclap_methods/data/``: published
    benchmarks, levers, railway stations, route factors)."""
    return Path(str(resources.files(PACKAGE))) / "data"


def studio_data() -> Path:
    """The studio profiles, equipment and production data of the studies (``studies/data/``)."""
    return studies() / "data"


def notebooks() -> Path:
    """The widget notebooks, the app's among them (``notebooks/``)."""
    return folder("notebooks")


def examples() -> Path:
    """The example assessments, one per production type (``examples/``)."""
    return folder("examples")


def checkout() -> Path | None:
    """The repository root when the package runs from a checkout (editable
    install), else ``None``: a wheel has no ``pyproject.toml`` above its editions."""
    root = editions().parent
    return root if (root / "pyproject.toml").is_file() else None

"""Studio-hour factors derived from the studio-hour study, written into a draft edition.

The study (:mod:`carbonclap_methods.studio`, ``studies/studio_hour.ipynb``)
builds one studio hour from open profiles. Its figure for *the studio
itself* (energy in and outside sessions, building, equipment, refrigerant:
the scope a production adds to its own people, travel, meals and data) is
what a sound questionnaire's studio-recording field needs: a factor per
studio hour, by size and by country (the studio's energy is where countries
differ most). This module derives those factors with the study's default
settings and writes them into an unreleased edition:

    python -m carbonclap_methods.studio_factors 2026.3

Each row's notes give the study version, the sha256 of every study data
file it was derived from, the parameters and the figure by component; its
uncertainty is the half-width of the 95 % interval of the study's Monte
Carlo (factors and assumption ranges drawn together), read the way the
edition reads every uncertainty: ``u = sqrt(p97.5 / p2.5) - 1``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from .errors import CarbonClapError, EditionExists, Location
from .factors import Edition
from .files import write_atomic_many
from .studio import (COMPONENTS, DATA, SIZES, STUDIO_COMPONENTS, Scenario, load_profile,
                     studio_hour)

STUDY_VERSION = "studio_hour/2"    # the model with building, idle loads, scopes and ranges
COUNTRIES = ("FR", "DE", "GB", "EU27")
ITERATIONS, SEED = 20000, 2025     # Monte Carlo of the derived uncertainty
SOURCE_REF = "carbonclap_methods_studio_hour_study"
SOURCE = "carbonclap-methods studio_hour study"
URL = "https://base-empreinte.ademe.fr/"     # the study has no address of its own: its main parts' source
SIZE_WORDS = {"small": ("petit studio", "small studio"), "medium": ("studio moyen", "medium studio"),
              "large": ("grand studio", "large studio")}
COUNTRY_WORDS = {"FR": ("France", "France"), "DE": ("Allemagne", "Germany"),
                 "GB": ("Royaume-Uni", "United Kingdom"), "EU27": ("UE-27", "EU-27")}


def factor_id(size: str, country: str) -> str:
    """The edition id of a studio-hour factor: ``studio_hour_<size>_<country>``."""
    return f"studio_hour_{size}_{country.lower()}"


def data_hashes(size: str, folder: Path = DATA) -> dict[str, str]:
    """sha256 of each study data file a size's figure depends on (name -> hex digest)."""
    names = ["studio_common.yaml", f"studio_{size}.yaml", "equipment.yaml", "studio_assumptions.yaml"]
    return {name: hashlib.sha256((Path(folder) / name).read_bytes()).hexdigest() for name in names}


def derive(edition: Edition, size: str, country: str, iterations: int = ITERATIONS,
           seed: int = SEED) -> dict:
    """The studio-hour factor of a size and country, with its provenance.

    Returns
    -------
    dict
        ``value`` [kgCO2e per studio hour, the studio itself], ``uncertainty_pct``
        [%], ``by_component`` (the studio's components [kgCO2e per studio
        hour]), ``scenario`` (the study's settings used) and ``hashes``
        (:func:`data_hashes`).
    """
    from .study_studio_hour import studio_hour_monte_carlo

    scenario = replace(Scenario(), studio_size=size, country=country).check()
    profile = load_profile(size)
    result = studio_hour(scenario, edition, profile)
    mc = studio_hour_monte_carlo(scenario, edition, iterations, seed, profile, part="studio")
    p2_5, p97_5 = np.percentile(mc.totals, [2.5, 97.5])
    return {"value": result["by_scope"]["studio_itself"],
            "uncertainty_pct": round(100 * (math.sqrt(p97_5 / p2_5) - 1)),
            "by_component": {c: result["by_component"][c] for c in STUDIO_COMPONENTS},
            "scenario": scenario, "hashes": data_hashes(size)}


def _notes(size: str, country: str, d: dict, edition: Edition) -> str:
    s = d["scenario"]
    parts = " + ".join(f"{COMPONENTS[c][1].lower()} {v:.4g}" for c, v in d["by_component"].items() if v)
    hashes = ", ".join(f"{name} sha256 {digest}" for name, digest in d["hashes"].items())
    return (f"status=derived (carbonclap-methods {STUDY_VERSION}). One hour of recording in a {size} "
            f"studio in {COUNTRY_WORDS[country][1]}, the studio itself: its energy in and outside "
            "sessions, the building's construction, the equipment's manufacture and the "
            "refrigerant; the production's own people, travel, meals, stays and data are not in it "
            "(enter them in their sections). Derivation: carbonclap_methods.studio_factors.derive "
            f"with edition {edition.name} and the study's defaults (utilisation "
            f"{s.utilisation_hours_per_year:g} h/year, so {8760 - s.utilisation_hours_per_year:g} "
            "idle hours; every scale 1): "
            f"{parts} kgCO2e per studio hour. uncertainty_pct: half-width of the 95 % interval of "
            f"the study's Monte Carlo ({ITERATIONS} draws, seed {SEED}; the factors and the "
            "assumption ranges of studio_assumptions.yaml drawn together), u = sqrt(p97.5 / p2.5) - 1. "
            f"Study data: {hashes}.")


def rows(edition: Edition, countries=COUNTRIES, sizes=SIZES) -> list[dict]:
    """The derived factor rows (columns of factors.csv; absent ones left empty)."""
    out = []
    for country in countries:
        for size in sizes:
            d = derive(edition, size, country)
            fr_size, en_size = SIZE_WORDS[size]
            fr_country, en_country = COUNTRY_WORDS[country]
            out.append({
                "id": factor_id(size, country), "activity": f"studio_hour_{size}",
                "category": "studio_use",
                "label_fr": f"Heure de studio, {fr_size}, {fr_country} (studio seul, par heure)",
                "label_en": f"Studio hour, {en_size}, {en_country} (studio itself, per hour)",
                "value": f"{d['value']:.6g}", "unit": "kgCO2e", "activity_unit": "hour",
                "geography": country, "year": "2026", "source": SOURCE, "source_ref": SOURCE_REF,
                "source_id": STUDY_VERSION, "url": URL, "uncertainty_pct": str(d["uncertainty_pct"]),
                "gwp_set": "AR5", "notes": _notes(size, country, d, edition)})
    return out


SOURCE_ROW = {"id": SOURCE_REF, "title": SOURCE,      # a source's title is the rows' source
              "publisher": "carbonclap-methods contributors", "url": URL, "licence": "MIT",
              "access_date": "2026-11-29",
              "notes": "Derived rows: each one's notes give the study version, the sha256 of the study "
                       "data files and the derivation; the parts' own sources are the edition's rows "
                       "(ADEME Base Carbone, DEFRA, Electricity Maps, Ember, Impact CO2)"}


def _merge(path: Path, new: list[dict], key: str = "id") -> str:
    text = path.read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    columns = list(table[0].keys()) if table else list(new[0])
    ids = {row[key] for row in new}
    kept = [row for row in table if row[key] not in ids]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in kept + [{c: row.get(c, "") for c in columns} for row in new]:
        writer.writerow(row)
    return buffer.getvalue()


def write(folder: str | Path, edition: Edition) -> list[str]:
    """Write the derived rows (and their source) into the draft edition ``folder``.

    Rows with the same ids are replaced; both files are written atomically
    after both are built. Returns the ids written.

    Raises
    ------
    EditionExists
        If the edition is sealed (released): a released edition is never edited.
    """
    folder = Path(folder)
    if not edition.draft:
        raise EditionExists(f"edition {edition.name} is released; derive into a new draft "
                            "(carbonclap factors new NAME --from EDITION)", Location(folder))
    new = rows(edition)
    factors_text = _merge(folder / "factors.csv", new)
    sources_text = _merge(folder / "sources.csv", [SOURCE_ROW])
    write_atomic_many([(folder / "sources.csv", sources_text), (folder / "factors.csv", factors_text)])
    return [row["id"] for row in new]


def main(argv: list[str] | None = None) -> int:
    from .factors import load_edition, resolve_edition

    parser = argparse.ArgumentParser(description="Write the studio-hour factors into a draft edition.")
    parser.add_argument("edition", help="a draft edition (name or folder)")
    args = parser.parse_args(argv)
    try:
        edition = load_edition(args.edition)
        ids = write(resolve_edition(args.edition), edition)
    except CarbonClapError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(f"{len(ids)} studio-hour factors written: {', '.join(ids)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

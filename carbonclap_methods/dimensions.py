"""What a methodologist reads beside a total: GHG Protocol scopes, the French
regulatory BEGES categories, and the data-quality levels of activity data.

Vocabulary only (no computation): the questionnaire fields declare a scope,
a BEGES item and a default data-quality level (``templates/sections.yaml``);
:func:`categories.field_values` gives each line its own.

References
----------
- GHG Protocol Corporate Standard (WRI/WBCSD, 2004) and Corporate Value Chain
  (Scope 3) Standard (2011): scopes 1, 2 and the 15 scope 3 categories.
- Ministère de la Transition écologique, « Méthode pour la réalisation des
  bilans d'émissions de gaz à effet de serre », version 5 (2022): 6
  categories, 22 items (BEGES).
"""

from __future__ import annotations

# GHG Protocol: scope 1, scope 2 and the scope 3 categories. Labels (fr, en).
SCOPES = {
    "1": ("Scope 1 : émissions directes", "Scope 1: direct emissions"),
    "2": ("Scope 2 : énergie achetée", "Scope 2: purchased energy"),
    "3.1": ("3.1 Achats de biens et services", "3.1 Purchased goods and services"),
    "3.2": ("3.2 Biens d'équipement", "3.2 Capital goods"),
    "3.3": ("3.3 Énergie (amont, hors scopes 1 et 2)", "3.3 Fuel- and energy-related activities"),
    "3.4": ("3.4 Transport et distribution amont", "3.4 Upstream transportation and distribution"),
    "3.5": ("3.5 Déchets", "3.5 Waste generated in operations"),
    "3.6": ("3.6 Déplacements professionnels", "3.6 Business travel"),
    "3.7": ("3.7 Trajets domicile-travail", "3.7 Employee commuting"),
    "3.8": ("3.8 Actifs loués en amont", "3.8 Upstream leased assets"),
    "3.9": ("3.9 Transport et distribution aval", "3.9 Downstream transportation and distribution"),
    "3.10": ("3.10 Transformation des produits vendus", "3.10 Processing of sold products"),
    "3.11": ("3.11 Utilisation des produits vendus", "3.11 Use of sold products"),
    "3.12": ("3.12 Fin de vie des produits vendus", "3.12 End-of-life of sold products"),
    "3.13": ("3.13 Actifs loués en aval", "3.13 Downstream leased assets"),
    "3.14": ("3.14 Franchises", "3.14 Franchises"),
    "3.15": ("3.15 Investissements", "3.15 Investments"),
}

# The three scopes as totals (labels of by_scope's keys).
SCOPE_TOTALS = {
    "1": SCOPES["1"],
    "2": SCOPES["2"],
    "3": ("Scope 3 : autres émissions indirectes", "Scope 3: other indirect emissions"),
}

# BEGES (French regulatory method, v5): 6 categories, 22 items. Labels (fr, en).
BEGES_CATEGORIES = {
    "1": ("Émissions directes", "Direct emissions"),
    "2": ("Émissions indirectes associées à l'énergie", "Indirect emissions from energy"),
    "3": ("Émissions indirectes associées au transport", "Indirect emissions from transport"),
    "4": ("Émissions indirectes associées aux produits achetés", "Indirect emissions from products bought"),
    "5": ("Émissions indirectes associées aux produits vendus", "Indirect emissions from products sold"),
    "6": ("Autres émissions indirectes", "Other indirect emissions"),
}
BEGES_ITEMS = {
    "1.1": ("Sources fixes de combustion", "Stationary combustion"),
    "1.2": ("Sources mobiles à moteur thermique", "Mobile combustion"),
    "1.3": ("Procédés hors énergie", "Non-energy processes"),
    "1.4": ("Émissions fugitives", "Fugitive emissions"),
    "1.5": ("Biomasse (sols et forêts)", "Biomass (soils and forests)"),
    "2.1": ("Consommation d'électricité", "Electricity consumption"),
    "2.2": ("Consommation d'énergie autre que l'électricité", "Other energy consumption (steam, heat, cold)"),
    "3.1": ("Transport de marchandises amont", "Upstream freight"),
    "3.2": ("Transport de marchandises aval", "Downstream freight"),
    "3.3": ("Déplacements domicile-travail", "Commuting"),
    "3.4": ("Déplacements des visiteurs et des clients", "Visitors' and customers' travel"),
    "3.5": ("Déplacements professionnels", "Business travel"),
    "4.1": ("Achats de biens", "Purchased goods"),
    "4.2": ("Immobilisations de biens", "Capital goods"),
    "4.3": ("Gestion des déchets", "Waste management"),
    "4.4": ("Actifs en leasing amont", "Upstream leased assets"),
    "4.5": ("Achats de services", "Purchased services"),
    "5.1": ("Utilisation des produits vendus", "Use of products sold"),
    "5.2": ("Actifs en leasing aval", "Downstream leased assets"),
    "5.3": ("Fin de vie des produits vendus", "End of life of products sold"),
    "5.4": ("Investissements", "Investments"),
    "6.1": ("Autres émissions indirectes", "Other indirect emissions"),
}

# Where the upstream part of energy goes (fuel extraction, refining and
# transport, power-plant fuel supply, transmission and distribution losses:
# the ``upstream_share`` of a factor) when the line's combustion is in scope 1
# or 2 / BEGES category 1 or 2. GHG Protocol Scope 3 Standard (2011), category
# 3 "Fuel- and energy-related activities". BEGES v5 (Ministère de la
# Transition écologique, 2022), description of items 1.1 and 2.1: categories 1
# and 2 hold the combustion only; the upstream of energy is excluded from them
# and reported in item 4.1 "Achats de biens" (the fuel or electricity is a
# good bought).
UPSTREAM_SCOPE = "3.3"
UPSTREAM_BEGES = "4.1"
DIRECT_SCOPES = ("1", "2")
DIRECT_BEGES_CATEGORIES = ("1", "2")

# A line that answers no questionnaire field takes the scope and BEGES item of
# its factor's result category (modelling assumption, the most common case of
# each category in a production).
CATEGORY_DIMENSIONS = {
    "transport": ("3.6", "3.5"),
    "purchases": ("3.1", "4.1"),
    "food": ("3.1", "4.1"),
    "technical_equipment": ("3.8", "4.4"),
    "post_production": ("3.1", "4.5"),
    "services": ("3.1", "4.5"),
    "generators": ("1", "1.1"),
    "accommodation": ("3.6", "3.5"),
    "electricity": ("2", "2.1"),
    "heating": ("1", "1.1"),
    "digital": ("3.1", "4.5"),
    "waste": ("3.5", "4.3"),
    "air_conditioning": ("1", "1.4"),
    "buildings": ("2", "2.1"),
    "studio_use": ("3.1", "4.5"),
    "reference": ("3.1", "6.1"),
}

# Data quality of an activity quantity and the uncertainty it carries: the
# relative half-width of a 95 % interval, read as the factors' is (lognormal,
# uncertainty.log_sigma). Modelling assumption of this project, in the spirit
# of a pedigree matrix (Weidema & Wesnæs 1996) and of the GHG Protocol's
# guidance on quantitative uncertainty; no published table gives these four
# figures for production data.
# Defaults per questionnaire field (templates/sections.yaml): meters, fuel and
# invoices are "measured"; counts from the plan (km, nights, meals, kit-days)
# "computed"; bills spread by area, waste and digital volumes "estimated". A
# spend line's amount is an invoice or a budget line ("measured"): that the
# monetary ratio is a proxy is the factor's uncertainty, not the quantity's.
# On a forecast, no quantity is measured yet: "measured" counts as
# "computed" (compute._dimensions). Lines are drawn independently: quantities
# derived from the same crew x days are in fact correlated, so the data part
# of the interval is a lower bound.
DATA_QUALITY = {
    "measured": (5.0, ("Mesuré ou facturé", "Measured or invoiced")),
    "computed": (15.0, ("Calculé à partir des plans", "Computed from plans")),
    "estimated": (30.0, ("Estimé", "Estimated")),
    "proxy": (50.0, ("Ratio monétaire ou proxy", "Spend-based or proxy")),
}
DEFAULT_DATA_QUALITY = "computed"


def scope_of(code: str) -> str:
    """The scope (``"1"``, ``"2"`` or ``"3"``) of a scope code such as ``"3.6"``."""
    return code.split(".")[0]


def beges_category_of(item: str) -> str:
    """The BEGES category (``"1"`` to ``"6"``) of an item such as ``"3.5"``."""
    return item.split(".")[0]


def data_quality_uncertainty(level: str) -> float:
    """Uncertainty [%] of a data-quality level (KeyError for an unknown one)."""
    return DATA_QUALITY[level][0]

"""Which documents to collect, department by department, for an assessment.

Built from the questionnaire itself: for each section switched on (the
department: production office, locations, catering...), each field and the
document that gives its figure in its unit (train tickets for passenger-km,
energy bills for kWh, fuel receipts for litres, hotel invoices for nights,
invoices excluding VAT for spend...). Exported as a CSV file for a
spreadsheet (``;``-separated with a byte-order mark in French, as French
Excel opens it; ``,`` in English).
"""

from __future__ import annotations

import csv
import io

from ..money import money_parts
from ..templates import Template
from .text import LANGS, tr, unit_label

# The document that gives a figure in each unit (fr, en); a unit not listed
# falls back to "supporting document".
DOCUMENTS = {
    "passenger_km": ("billets, notes de frais ou relevés de trajets (voyageurs et distances)",
                     "tickets, expense claims or trip logs (travellers and distances)"),
    "km": ("carnets de bord, relevés kilométriques", "vehicle logs, mileage records"),
    "vehicle_km": ("carnets de bord, relevés kilométriques", "vehicle logs, mileage records"),
    "tonne_km": ("lettres de voiture (poids et distance)", "consignment notes (weight and distance)"),
    "m3_km": ("lettres de voiture (volume et distance)", "consignment notes (volume and distance)"),
    "kWh": ("factures ou relevés de compteur d'énergie", "energy bills or meter readings"),
    "L": ("bons ou factures de carburant (litres)", "fuel receipts or invoices (litres)"),
    "night": ("factures d'hébergement (nuitées)", "accommodation invoices (nights)"),
    "meal": ("factures du traiteur ou de la cantine (nombre de repas)",
             "caterer or canteen invoices (number of meals)"),
    "kg": ("bons de livraison, bordereaux de pesée", "delivery notes, weighing slips"),
    "t": ("bons de livraison, bordereaux de pesée", "delivery notes, weighing slips"),
    "item": ("factures ou bons de livraison (quantités)", "invoices or delivery notes (counts)"),
    "TB_year": ("factures de stockage ou d'hébergement (volume et durée)",
                "storage or hosting invoices (volume and duration)"),
    "GB": ("relevés de transfert de données", "data transfer reports"),
    "hour": ("feuilles de temps, plannings", "timesheets, schedules"),
    "FTE_hour": ("feuilles de temps, plannings", "timesheets, schedules"),
    "m2": ("plans ou baux (surfaces)", "floor plans or leases (areas)"),
}
MONEY = ("factures (montant HT et année)", "invoices (amount excluding VAT and year)")
OTHER = ("pièce justificative", "supporting document")


def document(unit: str, lang: str) -> str:
    """The document that gives a figure in ``unit``, in ``lang``."""
    i = LANGS.index(lang)
    if unit in DOCUMENTS:
        return DOCUMENTS[unit][i]
    return (MONEY if money_parts(unit) else OTHER)[i]


def checklist_rows(template: Template, sections: list[str], lang: str) -> list[list[str]]:
    """Rows (department, field, unit, document to collect) of the sections switched on."""
    return [[section.label(lang), item.label(lang), unit_label(item.unit, lang),
             document(item.unit, lang)]
            for section in template.sections if section.id in sections
            for item in section.fields]


def checklist_csv(template: Template, sections: list[str], lang: str) -> str:
    """The checklist as CSV text (see the module's notes for the dialect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    writer.writerow([tr("cl_department", lang), tr("cl_field", lang), tr("unit", lang),
                     tr("cl_document", lang), tr("cl_done", lang)])
    for row in checklist_rows(template, sections, lang):
        writer.writerow(row + [""])
    return ("\ufeff" if lang == "fr" else "") + buffer.getvalue()

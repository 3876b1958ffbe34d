"""Refrigerant lost by an air-conditioner, per year of operation.

One formula for the edition's built air-conditioning rows and the studio
model: a unit loses ``leak rate`` of its charge every year and
``end-of-life loss rate`` of it once, at the end of its service life; spread
over that life, the yearly loss is::

    charge x (leak rate + end-of-life loss rate / service life)   [kg/year]

References
----------
ADEME Base Carbone V23.6, split air-conditioner elements 14598 (average
charge, 1 kg), 14603 (annual leak rate, 5 %) and 14608 (end-of-life loss,
85 % of the charge); the service life is a modelling assumption of whoever
calls (10 years in edition 2026.2 and the studio data).
"""

from __future__ import annotations

import math


def yearly_leak_kg(charge_kg: float, annual_leak_rate: float) -> float:
    """Refrigerant leaked in one year of operation [kg/year].

    Parameters
    ----------
    charge_kg : float
        Refrigerant charge of the unit [kg].
    annual_leak_rate : float
        Share of the charge leaked each year [1/year], e.g. 0.05.
    """
    return charge_kg * annual_leak_rate


def yearly_end_of_life_kg(charge_kg: float, end_of_life_loss_rate: float,
                          lifetime_years: float) -> float:
    """The end-of-life loss spread over the service life [kg/year].

    Parameters
    ----------
    charge_kg : float
        Refrigerant charge of the unit [kg].
    end_of_life_loss_rate : float
        Share of the charge lost when the unit is scrapped [-], e.g. 0.85.
    lifetime_years : float
        Service life over which the loss is spread [year], > 0.
    """
    if not (math.isfinite(lifetime_years) and lifetime_years > 0):
        raise ValueError(f"lifetime_years must be a positive number, not {lifetime_years!r}")
    return charge_kg * end_of_life_loss_rate / lifetime_years


def annual_loss_kg(charge_kg: float, annual_leak_rate: float, end_of_life_loss_rate: float,
                   lifetime_years: float) -> float:
    """Refrigerant lost per year of operation, end-of-life loss included [kg/year].

    The sum of :func:`yearly_leak_kg` and :func:`yearly_end_of_life_kg`;
    multiply by the gas's GWP factor [kgCO2e/kg].
    """
    return (yearly_leak_kg(charge_kg, annual_leak_rate)
            + yearly_end_of_life_kg(charge_kg, end_of_life_loss_rate, lifetime_years))

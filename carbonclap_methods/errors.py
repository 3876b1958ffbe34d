"""One error hierarchy for every mistake a user can make, and where it is.

The command line catches :class:`CarbonClapError` and prints its message on
one line (exit status 2); anything else is a bug and keeps its traceback.
A problem's place is a :class:`Location` (file, line, field), written the
same way by every reader and validator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, a line (a number, or a reader's own position
    text such as ``sheet transport, row 5``) and a field (``activities[2].unit``,
    ``column value``). ``str()`` gives ``file, line N, field``."""

    file: object
    line: int | str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [str(self.file)]
        if isinstance(self.line, str) and self.line:
            parts.append(self.line)
        elif self.line:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(self.field)
        return ", ".join(parts)


class CarbonClapError(Exception):
    """Base class: a user-facing problem with a message naming where it is.

    ``CarbonClapError(message, location=Location(...))`` prefixes the message
    with the location and keeps it as data in ``.location``.
    """

    def __init__(self, message: str = "", location: Location | None = None):
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class UnknownUnit(CarbonClapError):
    """A unit name that neither pint nor units.txt defines."""


class UnitMismatch(CarbonClapError):
    """A unit that cannot convert to the factor's activity unit."""


class UnknownFactor(CarbonClapError):
    """A factor id absent from the edition."""


class UnknownEdition(CarbonClapError):
    """An edition name or folder that does not exist."""


class _Problems(CarbonClapError):
    """An error holding every problem found, each naming file, line and field."""

    what = "problems"

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) == 1:
            super().__init__(self.problems[0])
        else:                      # one line; ``problems`` holds them all
            super().__init__(f"{len(self.problems)} problems in the {self.what}, the first: "
                             f"{self.problems[0]}")


class InvalidEdition(_Problems):
    """A factor edition that fails validation; holds every problem found."""

    what = "factor edition"


class EditionIntegrity(CarbonClapError):
    """An edition whose files no longer match their recorded checksum."""


class InvalidAssessment(CarbonClapError):
    """An assessment file that cannot be read or breaks the format."""


class InvalidQuantity(InvalidAssessment):
    """A quantity that is not a finite number >= 0."""


class InvalidTemplate(_Problems):
    """A questionnaire template that breaks the format or does not fit the edition."""

    what = "questionnaire templates"


class UnknownTemplate(CarbonClapError):
    """A production type, section or field that no template defines."""


class InvalidParameter(CarbonClapError):
    """A parameter that is unknown, of the wrong type or out of its domain
    (study parameters, Monte Carlo iterations and seed)."""


class StudyError(CarbonClapError):
    """A study that cannot be found or run."""


class UnknownStudy(StudyError):
    """A study name with no notebook in studies/."""


class StudioDataError(CarbonClapError):
    """A studio profile or equipment file that breaks the format."""


class InvalidScenario(CarbonClapError):
    """A studio-hour setting out of its domain (unknown size, country, mode...)."""


class UsageError(CarbonClapError):
    """A command-line option that does not parse."""


class MissingExtra(CarbonClapError):
    """A command whose optional dependencies (an extra of the package) are not installed."""


class BrokenAssessments(CarbonClapError):
    """Assessments that no longer compute with a new edition (``factors diff --assessments``)."""


class EditionExists(CarbonClapError):
    """A new edition whose name is taken, or a release of an edition already released."""


class OutputError(CarbonClapError):
    """An output file or folder that cannot be written."""


class NoAssessments(CarbonClapError):
    """A folder given as assessments that holds no assessment file."""


class ChartError(CarbonClapError):
    """A chart that cannot be rendered (SVG or PNG)."""


class AppError(CarbonClapError):
    """The web app cannot be served (notebook missing, Voilà stopped)."""


class ClusterError(CarbonClapError):
    """A Dask scheduler address that is malformed or does not answer in time."""


class DemoError(CarbonClapError):
    """The demo page's inputs (results of make demo) missing or unreadable."""


class InvalidLever(CarbonClapError):
    """A lever file that is malformed, or a lever or parameter a plan cannot use
    (unknown, out of its range, not applicable to the assessment)."""


class UnknownPlace(CarbonClapError):
    """A place (town, station or airport) that the offline gazetteers do not
    hold; ``name`` is the name as typed."""

    def __init__(self, message: str = "", name: str = ""):
        self.name = name
        super().__init__(message)


class NoRouteFactor(CarbonClapError):
    """A travel mode whose distance cannot be estimated: no sourced detour factor."""

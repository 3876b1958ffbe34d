"""One error hierarchy for every mistake a user can make, and where it is.

The command line catches :class:`CarbonClapError` and prints its message on
one line (exit status 2); anything else is a bug and keeps its traceback.
A problem's place is a :class:`Location` (file, sheet, row, line, field),
carried as data by the error (``.location``) and written the same way by
every reader and validator (``str(location)``, here only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: object) -> str:
    """``text`` on one line with control characters (newlines, terminal
    escape sequences) shown as escapes, safe to print in a message or a table."""
    return _CONTROL.sub(_escaped, str(text))


def _escaped(match: re.Match) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


@dataclass(frozen=True)
class Location:
    """Where a problem is, as data: a file; in a workbook its ``sheet``; a
    ``row`` of a table or sheet; a ``line`` (a number, or a reader's own
    position text such as ``studio profile small``); and a ``field``
    (``activities[2].unit``, ``column value``, ``cell F2 (quantity)``).

    ``str()`` gives ``file, sheet S, row N, line N, field`` (the parts that
    are set, control characters escaped): the one way a place is written.
    ``file`` may be None for a place inside a table or a document not yet
    named; :meth:`within` names it later.
    """

    file: object = None
    line: int | str | None = None
    field: str | None = None
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        parts = [] if self.file is None else [str(self.file)]
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if isinstance(self.line, str) and self.line:
            parts.append(self.line)
        elif self.line:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(self.field)
        return printable(", ".join(parts))

    def at(self, field: str) -> Location:
        """The same place one field deeper: ``activities[2]`` -> ``activities[2].unit``."""
        return replace(self, field=f"{self.field}.{field}" if self.field else field)

    def within(self, file: object) -> Location:
        """The same place in ``file`` (a table's row once the part holding it is known)."""
        return replace(self, file=file)

    @staticmethod
    def of(place: object) -> Location:
        """A line's recorded place (its ``where``): a Location as it is; a text
        naming a line made in code (``added line guests``) as its position."""
        return place if isinstance(place, Location) else Location(line=str(place))


class CarbonClapError(Exception):
    """Base class: a user-facing problem with a message naming where it is.

    ``CarbonClapError(message, location=Location(...))`` prefixes the message
    with the location and keeps both as data: ``.location`` and ``.message``
    (the text without the place).
    """

    def __init__(self, message: str = "", location: Location | None = None):
        self.message, self.location = message, location
        super().__init__(f"{location}: {message}" if location is not None else message)


class Problem(str):
    """One problem of a list (an edition's, the questionnaires'): its text
    ``place: message``, with ``.location`` and ``.message`` kept as data. A
    ``str``, so lists of problems print, compare and join as text."""

    location: Location | None
    message: str

    def __new__(cls, message: str, location: Location | None = None) -> Problem:
        self = super().__new__(cls, f"{location}: {message}" if location is not None else message)
        self.location, self.message = location, message
        return self


def relocated(error: CarbonClapError, location: Location,
              message: str | None = None) -> CarbonClapError:
    """The same error (class and message, or ``message``) at another place, e.g.
    a table's row once the file or dataset part holding it is known: never a
    message pasted into another."""
    new = type(error).__new__(type(error))
    new.__dict__.update(error.__dict__)
    new.location, new.message = location, error.message if message is None else message
    new.args = (f"{location}: {new.message}",)
    return new


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

    def __init__(self, problems: list[str] | str, location: Location | None = None):
        """``problems``: one message (placed at ``location``) or every problem's text;
        ``location``: where the (first) problem is, kept as data."""
        if isinstance(problems, str) and not isinstance(problems, Problem):
            problems = Problem(problems, location)
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if location is None and self.problems:
            location = getattr(self.problems[0], "location", None)
        if len(self.problems) == 1:
            super().__init__(self.problems[0])
        else:                      # one line; ``problems`` holds them all
            super().__init__(f"{len(self.problems)} problems in the {self.what}, the first: "
                             f"{self.problems[0]}")
        self.location = location


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

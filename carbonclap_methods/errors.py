"""One error hierarchy for every mistake a user can make.

The command line catches :class:`CarbonClapError` and prints its message on
one line (exit status 2); anything else is a bug and keeps its traceback.
"""


class CarbonClapError(Exception):
    """Base class: a user-facing problem with a message naming where it is."""


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
        else:
            head = f"{len(self.problems)} problems in the {self.what}"
            super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


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


class InvalidLever(CarbonClapError):
    """A lever file that is malformed, or a lever or parameter a plan cannot use
    (unknown, out of its range, not applicable to the assessment)."""

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


class InvalidEdition(CarbonClapError):
    """A factor edition that fails validation; holds every problem found."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) == 1:
            super().__init__(self.problems[0])
        else:
            head = f"{len(self.problems)} problems in the factor edition"
            super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class EditionIntegrity(CarbonClapError):
    """An edition whose files no longer match their recorded checksum."""


class InvalidAssessment(CarbonClapError):
    """An assessment file that cannot be read or breaks the format."""


class InvalidQuantity(InvalidAssessment):
    """A quantity that is not a finite number >= 0."""

"""Where a scoped model keeps its organisation, division and owner.

Kept apart from scope.py so that models can import it without importing other models."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopePaths:
    """Where a model keeps what the data scopes filter on.

    ``organisation`` lists lookups that lead to an Organisation (a row is in the
    organisation scope when any of them is the user's organisation: a certificate
    belongs both to the enterprise and to the issuing institution). ``division`` lists
    lookups that lead to a Division; by default each organisation lookup's division.
    ``owner`` leads to the BusinessUser who owns the row; without it the "own" scope
    falls back to the organisation scope.
    """

    organisation: tuple[str, ...]
    division: tuple[str, ...] | None = None
    owner: str | None = None

    def division_lookups(self) -> tuple[str, ...]:
        if self.division is not None:
            return self.division
        return tuple(
            "division" if path == "pk" else f"{path}__division" for path in self.organisation
        )

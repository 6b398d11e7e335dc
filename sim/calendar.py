"""The calendar of fora (memo ¶9, ¶17): which meetings are held in a given week.

"We regularly review human rights issues in the Bilateral Review Commission, in periodic case
review meetings held between our diplomats in Moscow and their Soviet counterparts, at the CSCE
meeting in Vienna, and in all high-level meetings" (¶17). Each forum meets every ``interval``
weeks (0: never), first half an interval into the run.
"""

from enum import Enum

from sim.params import ForaParams


class Forum(Enum):
    SUMMIT = "summit"
    REVIEW_COMMISSION = "review_commission"
    CASE_REVIEW = "case_review"
    CSCE = "csce"

    @property
    def multilateral(self) -> bool:
        """Pressure there is only as strong as the allies' cohesion (¶22)."""
        return self is Forum.CSCE

    @property
    def high_level(self) -> bool:
        """Summits and the Review Commission: the place for principles (¶14)."""
        return self in (Forum.SUMMIT, Forum.REVIEW_COMMISSION)

    @property
    def reviews_lists(self) -> bool:
        """Bilateral meetings review the representation lists (¶9, ¶18)."""
        return self is not Forum.CSCE


class Calendar:
    """When each forum meets."""

    def __init__(self, s: ForaParams) -> None:
        self.intervals = {
            Forum.SUMMIT: s.summit_interval,
            Forum.REVIEW_COMMISSION: s.review_commission_interval,
            Forum.CASE_REVIEW: s.case_review_interval,
            Forum.CSCE: s.csce_interval,
        }

    @property
    def active_count(self) -> int:
        """Fora that meet at all."""
        return sum(1 for k in self.intervals.values() if k > 0)

    def due(self, week: int) -> list[Forum]:
        """Fora meeting this week; each first meets half an interval into the run."""
        return [
            f
            for f, k in self.intervals.items()
            if k > 0 and week >= k // 2 and (week - k // 2) % k == 0
        ]


def forum_agenda(
    forum: Forum, institutions: float, cases: float, focus: float
) -> tuple[float, float]:
    """Per-forum agendas (¶14): "concentrate our time and energy at high-level meetings on
    principles", and review cases where cases are reviewed. With ``focus`` f, high-level meetings
    move a share f of case time to institutions; case-review sessions move a share f of
    institutional time to cases; the CSCE keeps the strategy's shares."""
    if focus <= 0:
        return institutions, cases
    if forum.high_level:
        return institutions + focus * cases, (1.0 - focus) * cases
    if forum is Forum.CASE_REVIEW:
        return (1.0 - focus) * institutions, cases + focus * institutions
    return institutions, cases

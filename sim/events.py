"""What happened: the one typed record agents report events to and the recorder reads.

Agents do not write into shared dicts: each event has a method here that counts it for this
week and since the start, so a reader (the recorder, an NGO reading reported resolutions) sees
one consistent account.
"""

from dataclasses import dataclass


@dataclass(slots=True)
class Counts:
    """Counts of events over some span (one week, or the whole run so far)."""

    crackdowns: int = 0
    arrests: int = 0
    promises: int = 0
    items_enacted: int = 0
    documents: float = 0.0
    counterattack_time: float = 0.0
    listed_true: int = 0
    listed_reported: int = 0
    emigration: int = 0
    concession_cases: int = 0
    category_resolved: int = 0
    known_arrests: int = 0
    repeals: int = 0
    crackdown_cut: float = 0.0  # fall of L in crackdowns
    routine_arrests: int = 0  # arrests outside crackdowns (M12), also counted in arrests


class EventLog:
    """This week's events and the running totals; ``new_week`` starts a fresh week."""

    def __init__(self) -> None:
        self.week = Counts()
        self.total = Counts()
        self.first_crackdown = -1

    def new_week(self) -> None:
        self.week = Counts()

    def _add(self, name: str, value: float) -> None:
        setattr(self.week, name, getattr(self.week, name) + value)
        setattr(self.total, name, getattr(self.total, name) + value)

    def crackdown(self, arrests: int, known: int, week: int, cut: float = 0.0) -> None:
        self._add("crackdowns", 1)
        self._add("crackdown_cut", cut)
        self._add("arrests", arrests)
        self._add("known_arrests", known)
        if self.first_crackdown < 0:
            self.first_crackdown = week

    def routine_arrests(self, arrests: int, known: int) -> None:
        """Arrests outside a crackdown (M12 under hardline dominance)."""
        self._add("arrests", arrests)
        self._add("known_arrests", known)
        self._add("routine_arrests", arrests)

    def repeal(self) -> None:
        self._add("repeals", 1)

    def promise(self) -> None:
        self._add("promises", 1)

    def enactment(self, category_resolved: int) -> None:
        self._add("items_enacted", 1)
        self._add("category_resolved", category_resolved)

    def documents(self, amount: float) -> None:
        self._add("documents", amount)

    def counterattack(self, time_lost: float) -> None:
        self._add("counterattack_time", time_lost)

    def list_results(self, true: int, reported: int) -> None:
        self._add("listed_true", true)
        self._add("listed_reported", reported)

    def concessions(self, released: int, listed: int) -> None:
        self._add("concession_cases", released)
        self.list_results(listed, listed)

    def emigration(self, emigrants: int) -> None:
        self._add("emigration", emigrants)

"""Individual cases the outside world asks about, kept as arrays (memo ¶7, ¶18-20).

Cases are many and passive, so they are columns of numpy arrays rather than Mesa agents. A case
is open or resolved, known abroad or not, of particular interest (priority) or not, and may be
on the outside representation lists. Arrests add cases; practice, list reviews and enacted items
resolve them. Every case is either open or resolved: the registry conserves them.
"""

from enum import IntEnum

import numpy as np


class CaseCategory(IntEnum):
    """Who a case is: the categories the memo's lists and statements name (¶7, ¶20)."""

    REFUSENIK = 0
    POLITICAL = 1
    RELIGIOUS = 2
    PSYCHIATRIC = 3


_REFUSENIK = int(CaseCategory.REFUSENIK)  # a plain int compares faster than the enum member


class CaseRegistry:
    """Columnar store of cases with amortised growth (arrests append)."""

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        self._alloc(max(capacity, 16))

    def _alloc(self, capacity: int) -> None:
        old = getattr(self, "category", None)
        cols = {
            "category": np.int8,
            "open": bool,
            "known": bool,
            "priority": bool,
            "listed": bool,
            "opened_week": np.int32,
            "resolved_week": np.int32,
        }
        for name, dtype in cols.items():
            new = np.zeros(capacity, dtype=dtype)
            if name == "resolved_week":
                new[:] = -1
            if old is not None:
                new[: self.n] = getattr(self, name)[: self.n]
            setattr(self, name, new)

    def add(
        self, categories: np.ndarray, known: np.ndarray, priority: np.ndarray, week: int
    ) -> np.ndarray:
        """Open new cases; return their indices."""
        k = len(categories)
        if self.n + k > len(self.category):
            self._alloc(max(2 * len(self.category), self.n + k))
        new = slice(self.n, self.n + k)  # the same rows as the returned indices, written faster
        self.category[new] = categories
        self.open[new] = True
        self.known[new] = known
        self.priority[new] = priority
        self.listed[new] = False
        self.opened_week[new] = week
        self.resolved_week[new] = -1
        self.n += k
        return np.arange(new.start, new.stop)

    # ---- views
    def _active(self, name: str) -> np.ndarray:
        return getattr(self, name)[: self.n]

    def prisoner_mask(self) -> np.ndarray:
        """Open or not, the cases that are prisoners: every category but refuseniks."""
        return self._active("category") != _REFUSENIK

    def open_count(self, mask: np.ndarray | None = None) -> int:
        o = self._active("open")
        return int(np.count_nonzero(o if mask is None else o & mask))

    def open_counts(self) -> tuple[int, int]:
        """(open prisoner cases, open cases): what the recorder reads every week, in one pass."""
        o = self.open[: self.n]
        prisoners = np.count_nonzero(o & (self.category[: self.n] != _REFUSENIK))
        return int(prisoners), int(np.count_nonzero(o))

    def resolved_count(self) -> int:
        return self.n - int(np.count_nonzero(self._active("open")))

    # ---- resolution
    def resolve(self, idx: np.ndarray, week: int) -> int:
        """Mark the given open cases resolved this week; return how many."""
        self.open[idx] = False
        self.listed[idx] = False
        self.resolved_week[idx] = week
        return len(idx)

    def open_listed_first(self, rng: np.random.Generator) -> np.ndarray:
        """Open known cases, those on the lists first, each part in random order (memo ¶12)."""
        o, listed, known = self._active("open"), self._active("listed"), self._active("known")
        first = (o & listed).nonzero()[0]
        others = (o & known & ~listed).nonzero()[0]
        rng.shuffle(first)  # in place: what permutation() does to a copy, the same draws
        rng.shuffle(others)
        return np.concatenate([first, others])

    def release_by_hazard(
        self, category_mask: np.ndarray, hazard: float, rng: np.random.Generator, week: int
    ) -> int:
        """Each open case of the masked categories is resolved with probability ``hazard``."""
        if hazard <= 0:
            return 0
        cand = (self.open[: self.n] & category_mask).nonzero()[0]
        hit = cand[rng.random(len(cand)) < hazard]
        return self.resolve(hit, week)

    def resolve_category(
        self, category: CaseCategory, share: float, rng: np.random.Generator, week: int
    ) -> int:
        """Enacting an item resolves a whole category at once (memo ¶20)."""
        cand = (self._active("open") & (self._active("category") == category)).nonzero()[0]
        hit = cand[rng.random(len(cand)) < share] if share < 1 else cand
        return self.resolve(hit, week)

    def refresh_lists(
        self, slots: int, prioritized: bool, exclude: np.ndarray, rng: np.random.Generator
    ) -> None:
        """Keep ``slots`` known open cases on the lists: resolved entries drop off, new ones fill.

        Prioritised lists take cases of particular interest first (memo ¶19); otherwise the
        lists fill in no particular order. ``exclude`` masks categories covered by statements.
        """
        listed = self._active("listed")
        listed &= self._active("open")
        free = slots - int(np.count_nonzero(listed))
        if free <= 0:
            return
        cand = (self._active("known") & self._active("open") & ~listed & ~exclude).nonzero()[0]
        if len(cand) == 0:
            return
        order = rng.permutation(len(cand))
        if prioritized:
            order = order[np.argsort(~self._active("priority")[cand[order]], kind="stable")]
        listed[cand[order[:free]]] = True

    def review_lists(
        self, q: float, falsity: float, phantom_entries: int, rng: np.random.Generator, week: int
    ) -> tuple[int, int]:
        """A case-review session: listed cases resolve with probability ``q`` (memo ¶18).

        Replies are often out of date or false: unresolved listed entries and inaccurate
        (phantom) entries are reported resolved at ``falsity`` times the true rate.
        Returns (true resolutions, reported resolutions).
        """
        cand = (self._active("listed") & self._active("open")).nonzero()[0]
        hit = cand[rng.random(len(cand)) < q]
        true = self.resolve(hit, week)
        unresolved = len(cand) - true + phantom_entries
        false_reports = int(rng.binomial(unresolved, min(1.0, falsity * q))) if unresolved else 0
        return true, true + false_reports

    def assert_conserved(self) -> None:
        """A case is resolved exactly when it has a resolution week; only open cases are listed."""
        o = self._active("open")
        rw = self._active("resolved_week")
        assert np.all((rw >= 0) == ~o)
        assert not np.any(self._active("listed") & ~o)

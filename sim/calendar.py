"""The calendar of fora (memo ¶9, ¶17): which meetings are held in a given week.

"We regularly review human rights issues in the Bilateral Review Commission, in periodic case
review meetings held between our diplomats in Moscow and their Soviet counterparts, at the CSCE
meeting in Vienna, and in all high-level meetings" (¶17). The calendar is an input: by default
the dated meetings of 1987-1989 (``sim/data/calendars/fora_1987_1989.csv``); with
``scenario.fora.calendar=periodic`` each forum meets every ``<forum>_interval`` weeks (0: never),
first half an interval into the run, as in 0.2.
"""

import csv
import datetime as dt
import functools
from enum import Enum
from pathlib import Path

from sim.params import ForaParams
from sim.params.abroad import calendar_path
from sim.params.schema import ParameterError

RUN_START = dt.date(1987, 1, 1)  # week 1 is the seven days from this date


def week_of(day: dt.date) -> int:
    """The run week a date falls in (week 1: 1-7 January 1987; earlier dates give w <= 0)."""
    return (day - RUN_START).days // 7 + 1


class Forum(Enum):
    SUMMIT = "summit"
    MINISTERIAL = "ministerial"
    REVIEW_COMMISSION = "review_commission"
    CASE_REVIEW = "case_review"
    CSCE = "csce"

    @property
    def multilateral(self) -> bool:
        """Pressure there is only as strong as the allies' cohesion (¶22)."""
        return self is Forum.CSCE

    @property
    def high_level(self) -> bool:
        """Summits, foreign ministers and the Review Commission: the place for principles (¶14)."""
        return self in (Forum.SUMMIT, Forum.MINISTERIAL, Forum.REVIEW_COMMISSION)

    @property
    def reviews_lists(self) -> bool:
        """Bilateral meetings review the representation lists (¶9, ¶18)."""
        return self is not Forum.CSCE


_ORDER = {f: i for i, f in enumerate(Forum)}


class Calendar:
    """When each forum meets: the dated calendar of a data file, or every ``interval`` weeks."""

    def __init__(self, s: ForaParams) -> None:
        self.intervals = {
            Forum.SUMMIT: s.summit_interval,
            Forum.MINISTERIAL: s.ministerial_interval,
            Forum.REVIEW_COMMISSION: s.review_commission_interval,
            Forum.CASE_REVIEW: s.case_review_interval,
            Forum.CSCE: s.csce_interval,
        }
        self.periodic = s.calendar == "periodic"
        self.meetings: dict[int, list[Forum]] = {}
        if not self.periodic:
            self._load(calendar_path(s.calendar))

    def _load(self, path: Path) -> None:
        numbered = [
            (n, ln)
            for n, ln in enumerate(path.read_text().splitlines(), start=1)
            if ln.strip() and not ln.lstrip().startswith("#")
        ]
        reader = csv.DictReader([ln for _, ln in numbered])
        missing = {"forum", "start", "end", "repeat"} - set(reader.fieldnames or ())
        if missing:
            raise ParameterError(
                f"scenario.fora.calendar: {path.name} lacks the columns {sorted(missing)}; "
                "expected forum,start,end,repeat[,event]"
            )
        for (n, _), row in zip(numbered[1:], reader, strict=True):
            self._add_row(row, f"scenario.fora.calendar: {path.name}, line {n}")
        if not self.meetings:
            raise ParameterError(
                f"scenario.fora.calendar: {path.name} holds no meeting in week 1 or later"
            )
        # once per forum and week, in a fixed order: due() is read every week
        self.meetings = {
            w: sorted(set(f), key=_ORDER.__getitem__) for w, f in self.meetings.items()
        }

    def _add_row(self, row: dict[str, str], where: str) -> None:
        try:
            forum = Forum(row["forum"])
        except ValueError:
            raise ParameterError(
                f"{where}: forum = {row['forum']!r}, expected one of {[f.value for f in Forum]}"
            ) from None
        try:
            first, last = (dt.date.fromisoformat(row[k] or "") for k in ("start", "end"))
        except ValueError:
            raise ParameterError(
                f"{where}: start/end = {row['start']!r}/{row['end']!r}, expected dates YYYY-MM-DD"
            ) from None
        if last < first:
            raise ParameterError(f"{where}: end = {row['end']} is before start = {row['start']}")
        if row["repeat"] not in ("once", "interval"):
            raise ParameterError(
                f"{where}: repeat = {row['repeat']!r}, expected 'once' or 'interval'"
            )
        w0, w1 = week_of(first), week_of(last)
        weeks = {w0}
        if row["repeat"] == "interval":
            k = self.intervals[forum]
            if k <= 0:
                raise ParameterError(
                    f"{where}: a {forum.value} series needs scenario.fora.{forum.value}_interval "
                    f"> 0 (it is {k})"
                )
            weeks = set(range(w0, w1 + 1, k)) | {w1}
        for w in weeks:
            if w >= 1:  # meetings before the run are history, not input
                self.meetings.setdefault(w, []).append(forum)

    @functools.cached_property
    def active_count(self) -> int:
        """Fora that meet at all (read at every meeting; the calendar is fixed once loaded)."""
        if self.periodic:
            return sum(1 for k in self.intervals.values() if k > 0)
        return len({f for fora in self.meetings.values() for f in fora})

    def due(self, week: int) -> list[Forum]:
        """Fora meeting this week (in a periodic calendar each first meets half an interval in)."""
        if not self.periodic:
            return self.meetings.get(week, [])
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

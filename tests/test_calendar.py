"""The dated calendar of fora (memo ¶9, ¶17) is read from its data file, week by week."""

import datetime as dt
import itertools

import pytest

from conftest import config, model_of
from sim.calendar import Calendar, Forum, week_of
from sim.params import ForaParams
from sim.params.schema import ParameterError


def test_weeks_count_from_1_january_1987():
    assert week_of(dt.date(1987, 1, 1)) == 1
    assert week_of(dt.date(1987, 1, 7)) == 1
    assert week_of(dt.date(1987, 1, 8)) == 2
    assert week_of(dt.date(1987, 12, 31)) == 53  # day 364: 52 whole weeks and one day
    assert week_of(dt.date(1986, 12, 31)) == 0


def weeks_of(cal: Calendar, forum: Forum) -> list[int]:
    return sorted(w for w, fora in cal.meetings.items() if forum in fora)


def test_the_1987_1989_calendar_holds_the_summits_at_their_dates():
    cal = Calendar(ForaParams())
    summits = weeks_of(cal, Forum.SUMMIT)
    # Washington 8 Dec 1987, Moscow 29 May 1988, New York 7 Dec 1988, Malta 2 Dec 1989
    assert summits == [
        week_of(dt.date(1987, 12, 8)),
        week_of(dt.date(1988, 5, 29)),
        week_of(dt.date(1988, 12, 7)),
        week_of(dt.date(1989, 12, 2)),
    ]
    assert summits[0] == 49  # before the memo's strategy can take effect (week 50)


def test_the_vienna_meeting_sits_until_its_close_and_then_the_csce_pauses():
    cal = Calendar(ForaParams())
    csce = weeks_of(cal, Forum.CSCE)
    close = week_of(dt.date(1989, 1, 19))
    assert close in csce  # the closing plenary
    assert [w for w in csce if close < w < week_of(dt.date(1989, 5, 30))] == []
    gaps = {b - a for a, b in itertools.pairwise(csce) if b < close - 2}
    assert gaps == {ForaParams().csce_interval}  # the stated rhythm while it sits


def test_a_series_follows_its_interval_parameter():
    cal = Calendar(ForaParams(case_review_interval=10))
    reviews = weeks_of(cal, Forum.CASE_REVIEW)
    assert reviews[:3] == [1, 11, 21]


def test_a_users_calendar_file_is_read(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("forum,start,end,repeat,event\nsummit,1987-03-05,1987-03-06,once,test\n")
    cal = Calendar(ForaParams(calendar=str(path)))
    assert cal.meetings == {10: [Forum.SUMMIT]}
    assert cal.due(10) == [Forum.SUMMIT] and cal.due(11) == []
    model = model_of(config(f"scenario.fora.calendar={path}", "steps=12"), rng=0)
    ts = model.run().timeseries
    assert ts["approval"].iloc[9] == 0 and ts["approval"].iloc[10] > 0  # heard in week 10


@pytest.mark.parametrize(
    ("row", "names"),
    [
        ("summitt,1987-03-05,1987-03-06,once,x", ("forum = 'summitt'", "line 3")),
        ("summit,1987-13-05,1987-03-06,once,x", ("start/end", "YYYY-MM-DD")),
        ("summit,1987-03-05,1987-03-01,once,x", ("end = 1987-03-01 is before",)),
        ("summit,1987-03-05,1987-03-06,weekly,x", ("repeat = 'weekly'",)),
        ("csce,1987-03-05,1987-06-06,interval,x", ("scenario.fora.csce_interval > 0",)),
        ("summit,1986-03-05,1986-03-06,once,x", ("no meeting in week 1 or later",)),
    ],
)
def test_a_bad_calendar_row_is_refused_with_the_file_row_and_field(tmp_path, row, names):
    path = tmp_path / "bad.csv"
    path.write_text("# a comment\nforum,start,end,repeat,event\n" + row + "\n")
    fora = ForaParams(calendar=str(path), csce_interval=0)
    with pytest.raises(ParameterError) as err:
        Calendar(fora)
    assert "bad.csv" in str(err.value)
    for name in names:
        assert name in str(err.value)


def test_an_unknown_calendar_is_refused_naming_the_choices():
    with pytest.raises(ParameterError, match=r"scenario\.fora\.calendar = 'fora_1990'.*periodic"):
        ForaParams(calendar="fora_1990")


def test_a_calendar_without_the_columns_is_refused_naming_them(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("Forum,start,end\nsummit,1987-03-05,1987-03-06\n")
    with pytest.raises(ParameterError, match=r"lacks the columns \['forum', 'repeat'\]"):
        Calendar(ForaParams(calendar=str(path)))

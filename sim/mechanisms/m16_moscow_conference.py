"""M16 The Moscow conference (memo ¶9): the one thing the leadership asked of the CSCE process.

"They continue to be interested in a CSCE humanitarian conference to be held in Moscow" (¶9).
The allies can grant it or withhold it; whether it works as a lever depends on how credibly the
outside strategy ties consent to the record (``strategy.conference_conditionality`` c).

While the allies have not consented, the leadership stands to lose ``c x conference_value``. That
stake adds to what a crackdown risks abroad (M13's expected loss, so it tolerates more unrest
first), and it spurs its own programme of promised reforms (M14) by a factor ``1 + stake``: it
builds a record. From ``scenario.fora.conference_decision_week`` on, the allies decide at each
CSCE meeting until they consent. The record is the share of the asked items enacted since the
start and the share of the cases known at the start resolved, weighted by the strategy's
attention to institutions and to cases; below ``strategy.conference_bar`` the allies withhold
consent with chance c. Consent raises outside approval by ``conference_value`` and ends the
stake (the prize is collected).

Off (``mechanisms.M16=false``): no conference is on the table: no stake, no spur, no decision.
"""

from sim.params import LeadershipParams, StrategyParams


def stake(pending: bool, st: StrategyParams, s: LeadershipParams, on: bool) -> float:
    """What the leadership stands to lose while consent is outstanding."""
    if not (on and pending):
        return 0.0
    return st.conference_conditionality * s.conference_value


def record(asked_enacted: float | None, cases_resolved: float | None, st: StrategyParams) -> float:
    """The record the allies judge, weighted by what the strategy pressed for; a part with
    nothing to judge (no asked item open at the start, no case known) drops out."""
    attention = st.share_institutions + st.share_cases
    w = st.share_institutions / attention if attention > 0 else 0.5
    if asked_enacted is None and cases_resolved is None:
        return 1.0
    if asked_enacted is None:
        return float(cases_resolved)  # type: ignore[arg-type]
    if cases_resolved is None:
        return asked_enacted
    return w * asked_enacted + (1.0 - w) * cases_resolved


def consents(record_: float, st: StrategyParams, u: float) -> bool:
    """The allies consent unless the record misses the bar and they hold to it (chance c)."""
    return record_ >= st.conference_bar or u >= st.conference_conditionality

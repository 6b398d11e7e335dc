"""The outside government's strategy: attention, lists, signals and asks (MODEL.md section 6).

A strategy is data, not code. Its defaults are the 1987 status quo the memo criticises (¶19),
which is also what is in force before ``start_week``, the week the strategy takes effect.
"""

import math
from dataclasses import dataclass
from typing import ClassVar

from sim.params.schema import ParameterError, Params, param
from sim.params.vocabulary import ITEM_KEYS

# The items the memo says "we have urged" (¶7): the default asks of every strategy.
MEMO_ASKS: tuple[str, ...] = (
    "repeal_relatives_permission",
    "codify_security_refusals",
    "repeal_political_articles",
    "release_all_prisoners",
    "end_jamming",
    "religious_freedoms",
)


@dataclass
class StrategyParams(Params):
    """The outside government's strategy: data, not code (MODEL.md section 6)."""

    PREFIX: ClassVar[str] = "strategy"

    name: str = param("status_quo_1987", help="strategy label written into results")
    pressure: float = param(
        1.0, 0.0, 1.0, help="share of the attention budget spent (0 = no pressure)"
    )
    share_institutions: float = param(
        0.3, 0.0, 1.0, help="forum time on law and procedure", memo="¶15"
    )
    share_cases: float = param(0.6, 0.0, 1.0, help="forum time on case lists", memo="¶18")
    share_cooperation: float = param(
        0.1, 0.0, 1.0, help="forum time on cooperation projects", memo="¶21"
    )
    n_lists: int = param(8, 0, 100, help="number of representation lists", memo="¶19")
    list_size: int = param(300, 0, 100_000, help="entries per list", memo="¶19")
    list_accuracy: float = param(0.8, 0.0, 1.0, help="share of accurate list entries", memo="¶19")
    prioritized: bool = param(
        False, help="lists rank the cases of particular interest first", memo="¶19"
    )
    category_statements: bool = param(
        False, help="present whole categories as statements, not read-outs", memo="¶20"
    )
    coordination: float = param(
        0.3, 0.0, 1.0, help="consistency of signals across fora", memo="¶17"
    )
    sidetrack_resistance: float = param(
        0.2, 0.0, 1.0, help="share of counter-charges sent to expert channels", memo="¶14"
    )
    public_diplomacy: float = param(
        0.2, 0.0, 1.0, help="effort to explain results to NGOs", memo="¶23"
    )
    publicity: float = param(
        0.4, 0.0, 1.0, help="how public and accusatory pressure is", memo="¶10"
    )
    multilateral_framing: float = param(
        0.5, 0.0, 1.0, help="cooperation framed as a base for multilateral work", memo="¶22"
    )
    document_emphasis: float = param(
        0.5, 0.0, 1.0, help="cooperation spent producing documents, not implementation", memo="¶22"
    )
    agenda_focus: float = param(
        0.0,
        0.0,
        1.0,
        help="share of case time high-level meetings give to principles, and case reviews take "
        "from institutions (0: the same agenda everywhere)",
        memo="¶14 ¶17",
    )
    linkage: float = param(
        0.2,
        0.0,
        1.0,
        help="how credibly repression is tied to losses abroad (summit tone, trade)",
        memo="¶9 ¶11 ¶23",
    )
    conference_conditionality: float = param(
        0.5,
        0.0,
        1.0,
        help="chance the allies withhold the Moscow conference from a record below the bar "
        "(0: consent is unconditional) (M16)",
        memo="¶9",
    )
    conference_bar: float = param(
        0.3,
        0.0,
        1.0,
        help="record the allies ask before consenting to the Moscow conference: share of asked "
        "items enacted and of known cases resolved, weighted by attention (M16)",
        memo="¶9 ¶16",
    )
    asks: list[str] = param(
        list(MEMO_ASKS),
        help="reform items pressed for; the others get no outside pressure",
        memo="¶7",
    )
    start_week: int = param(
        50,
        0,
        100_000,
        help="week the strategy takes effect (50: the memo, December 1987); the status quo before",
        memo="¶3 ¶12",
    )

    def __post_init__(self) -> None:
        for name in self.asks:
            if name not in ITEM_KEYS:
                raise ParameterError(
                    f"strategy.asks contains {name!r}: not a reform item, expected names from "
                    f"{', '.join(ITEM_KEYS)}"
                )
        total = self.share_institutions + self.share_cases + self.share_cooperation
        if self.pressure > 0 and not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ParameterError(
                f"strategy.share_institutions + share_cases + share_cooperation = {total:g}: "
                "the attention shares must sum to 1 when strategy.pressure > 0"
            )
        super().__post_init__()

"""One switch per mechanism (docs/ODD.md section 4 says what each "off" means)."""

from dataclasses import dataclass
from typing import ClassVar

from sim.params.schema import Params, param


def _switch(number: int, name: str, off: str, memo: str) -> bool:
    return param(True, help=f"M{number} {name}; off: {off}", memo=memo)


@dataclass
class MechanismSwitches(Params):
    """One switch per mechanism M1-M17 (docs/ODD.md section 4 says what each "off" means).

    With every switch on the model is the full model; a switch off removes exactly that
    mechanism, so knock-out experiments can show what each one contributes.
    """

    PREFIX: ClassVar[str] = "mechanisms"

    M1: bool = _switch(
        1,
        "experimentation and the limits of freedom",
        "no crackdown and no learned limits; reform rises to the commitment ceiling",
        "¶6",
    )
    M2: bool = _switch(
        2, "ratchet", "enacted items raise no floors (floors stay at their initial level)", "¶5 ¶15"
    )
    M3: bool = _switch(
        3, "cheap concessions", "no institutional pressure is deflected into case releases", "¶12"
    )
    M4: bool = _switch(
        4,
        "list fatigue and false replies",
        "receptivity stays at its initial level and replies on lists are true",
        "¶18 ¶19",
    )
    M5: bool = _switch(
        5,
        "category resolution",
        "category statements act as ordinary lists and enactment resolves no category",
        "¶20",
    )
    M6: bool = _switch(6, "counter-attacks", "the leadership claims no forum time", "¶9 ¶13")
    M7: bool = _switch(7, "reactance", "public pressure breeds no resistance", "¶10")
    M8: bool = _switch(
        8,
        "coordination of fora",
        "pressure is neither diluted nor lists duplicated by uncoordinated fora",
        "¶17",
    )
    M9: bool = _switch(
        9,
        "cooperation and its pitfalls",
        "cooperation moves no faction, costs no cohesion, yields no documents",
        "¶21 ¶22",
    )
    M10: bool = _switch(
        10,
        "expectations",
        "NGO expectations track observed progress: no disappointment, no extra push",
        "¶11 ¶23",
    )
    M11: bool = _switch(11, "mobilization", "informal groups stay dormant", "¶4 ¶6")
    M12: bool = _switch(
        12,
        "factions",
        "faction influence never shifts (but for a scenario.shock); hardline dominance neither"
        " pierces floors nor cuts tolerance nor arrests week by week",
        "¶5 ¶6 ¶22",
    )
    M13: bool = _switch(
        13,
        "the price of repression",
        "crackdowns (and repeals, M15) cost nothing abroad: no deterrent, approval loss, outrage",
        "¶9 ¶11 ¶23",
    )
    M14: bool = _switch(
        14,
        "codification as the leadership's choice",
        "items move only under outside pressure; a fixed share of it is deflected",
        "¶5 ¶8 ¶16",
    )
    M15: bool = _switch(
        15,
        "reversal",
        "enacted law is never repealed and learned limits never recover",
        "¶2 ¶6 ¶15",
    )
    M16: bool = _switch(
        16,
        "the Moscow conference",
        "no conference is on the table: no stake, no spur to reform, no decision",
        "¶9",
    )
    M17: bool = _switch(
        17,
        "emigration with a demand side",
        "emigration is supply only: a Poisson draw scaled by the emigration practice, as in 0.2",
        "¶4 ¶7",
    )

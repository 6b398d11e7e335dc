"""The nouns of the model: policy dimensions, factions, kinds of group, network kinds.

Fixed by the memo, not parameters: every dict-valued parameter is keyed by one of these tuples.
"""

DIMENSIONS: tuple[str, ...] = (
    "emigration",
    "prisoner_release",
    "protest_tolerance",
    "expression",
    "foreign_broadcasts",
    "association",
    "arrest_restraint",
    "religion",
)
FACTIONS: tuple[str, ...] = (
    "reformers",
    "party_conservatives",
    "security_organs",
    "legal_ministries",
)
HARDLINE_FACTIONS: tuple[str, ...] = ("party_conservatives", "security_organs")
GROUP_KINDS: tuple[str, ...] = (
    "environmentalists",
    "preservationists",
    "refuseniks",
    "nationalists",
    "cultural_clubs",
    "religious_believers",
)
NETWORK_KINDS: tuple[str, ...] = ("small_world", "complete")
ITEM_KEYS: tuple[str, ...] = (  # the reform items of memo ¶5 and ¶7 (sim/policy.py)
    "end_internal_exile",
    "psychiatric_to_health_ministry",
    "repeal_relatives_permission",
    "codify_security_refusals",
    "repeal_political_articles",
    "release_all_prisoners",
    "end_jamming",
    "religious_freedoms",
    "law_on_associations",
    "law_on_demonstrations",
)
FORUM_NAMES: tuple[str, ...] = (
    "summit",
    "ministerial",
    "review_commission",
    "case_review",
    "csce",
)


def by_dimension(**values: float) -> dict[str, float]:
    """A per-dimension default, checked to name every dimension once."""
    assert set(values) == set(DIMENSIONS), set(values) ^ set(DIMENSIONS)
    return {d: values[d] for d in DIMENSIONS}

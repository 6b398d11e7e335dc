"""Building the initial world: the groups' attributes and network, and the initial cases."""

import numpy as np
from scipy import sparse

from sim.cases import CaseCategory, CaseRegistry
from sim.groups import GroupArrays
from sim.network import watts_strogatz
from sim.params import GROUP_KINDS, CaseParams, GroupParams


def build_network(s: GroupParams, rng: np.random.Generator) -> sparse.csr_array | None:
    """A small-world network of groups, seeded from the model's generator, or ties to everyone
    (None: "complete" is handled without a matrix, in mean field, so it scales to any
    population). Fewer than 2 ties per group is no tie at all."""
    if s.network_kind == "complete":
        return None
    k = min(s.network_degree, s.n_groups - 1)
    seed = int(rng.integers(2**31 - 1))
    return watts_strogatz(s.n_groups, k, s.network_rewiring, seed)


def build_groups(s: GroupParams, rng: np.random.Generator) -> GroupArrays:
    """Draw each group's kind, grievance, risk aversion, threshold and visibility (memo ¶4)."""
    adj = build_network(s, rng)
    g = GroupArrays(s.n_groups, adj)
    shares = np.array([s.kind_shares[k] for k in GROUP_KINDS], dtype=float)
    shares = (
        shares / shares.sum()
        if shares.sum() > 0
        else np.full(len(GROUP_KINDS), 1 / len(GROUP_KINDS))
    )
    g.kind = rng.choice(len(GROUP_KINDS), size=g.n, p=shares).astype(np.int8)
    boost = s.nationalist_grievance_boost * (g.kind == GROUP_KINDS.index("nationalists"))
    g.baseline_grievance = np.clip(rng.normal(s.grievance_mean, s.grievance_sd, g.n) + boost, 0, 1)
    g.grievance = g.baseline_grievance.copy()
    g.risk_aversion = np.clip(rng.normal(s.risk_aversion_mean, s.risk_aversion_sd, g.n), 0, 1)
    g.threshold = rng.normal(s.threshold_mean, s.threshold_sd, g.n)
    g.visible = rng.random(g.n) < s.visibility_share
    return g


def build_cases(s: CaseParams, rng: np.random.Generator) -> CaseRegistry:
    """Prisoners known (hundreds) and estimated (thousands), and known refuseniks (memo ¶6-7)."""
    n_pris = s.known_prisoners + s.unknown_prisoners
    total = n_pris + s.known_refuseniks
    reg = CaseRegistry(capacity=int(total * 1.25) + 64)
    u = rng.random(n_pris)
    cat = np.full(n_pris, CaseCategory.POLITICAL, dtype=np.int8)
    cat[u < s.religious_prisoner_share + s.psychiatric_share] = CaseCategory.RELIGIOUS
    cat[u < s.psychiatric_share] = CaseCategory.PSYCHIATRIC
    known = np.zeros(n_pris, dtype=bool)
    known[rng.permutation(n_pris)[: s.known_prisoners]] = True
    reg.add(cat, known, known & (rng.random(n_pris) < s.priority_share), week=0)
    r = s.known_refuseniks
    reg.add(
        np.full(r, CaseCategory.REFUSENIK, dtype=np.int8),
        np.ones(r, dtype=bool),
        rng.random(r) < s.priority_share,
        week=0,
    )
    return reg

"""M11 Mobilization (memo ¶4, ¶6): an Epstein-style threshold rule with social contagion.

A group acts when its grievance, net of perceived risk, plus the pull of demonstrating
neighbours, reaches its threshold:

    risk_i  = repression_risk * (1 - protest_tolerance) * (1 + deterrence)
              * (1 - visibility_protection * visible_i)
    drive_i = grievance_i - risk_aversion_i * risk_i + contagion * a_i - harassment_penalty * h_i
    demonstrate  if leader free-or-harassed and drive_i >= threshold_i
    meet         if not demonstrating and drive_i >= threshold_i - meeting_margin * association

where ``a_i`` is the share of i's neighbours that demonstrated last week (synchronous update).
With no risk, ties to everyone and contagion 1 this is Granovetter's (1978) threshold model.

Switched off (``mechanisms.M11=false``) the rule is not run and every group stays dormant.

Two implementations of the same rule: ``step_vectorized`` over the whole population (the one
the model runs) and ``step_reference``, a plain per-group loop that tests compare against. Both
call the same scalar-or-array arithmetic (``perceived_risk``, ``drive``), so they can only differ
in their plumbing, which is exactly what the comparison tests.
"""

from dataclasses import dataclass

import numpy as np

from sim.groups import Activity, GroupArrays, LeaderStatus
from sim.params import GroupParams


@dataclass
class GroupEnvironment:
    """What the groups read from the state this week."""

    protest_tolerance: float
    association: float
    deterrence: float
    repression_risk: float
    visibility_protection: float
    contagion: float
    meeting_margin: float
    harassment_penalty: float
    harassment_end_rate: float
    grievance_relaxation: float


def perceived_risk(env: GroupEnvironment, visible):  # scalar or array
    """Risk of acting: high when protest is not tolerated and a crackdown is fresh."""
    return (
        env.repression_risk
        * (1.0 - env.protest_tolerance)
        * (1.0 + env.deterrence)
        * (1.0 - env.visibility_protection * visible)
    )


def drive(env: GroupEnvironment, grievance, risk_aversion, risk, share, harassed):
    """Net drive to act (same arithmetic for a scalar or an array)."""
    return (
        grievance - risk_aversion * risk + env.contagion * share - env.harassment_penalty * harassed
    )


def neighbour_share(g: GroupArrays, demonstrating: np.ndarray) -> np.ndarray:
    """Share of each group's neighbours that demonstrated last week (exact: integer counts)."""
    d = demonstrating.astype(float)
    counts = d.sum() - d if g.neighbours is None else g.neighbours @ d
    return np.divide(counts, g.degree, out=np.zeros(g.n), where=g.degree > 0)


def step_vectorized(g: GroupArrays, env: GroupEnvironment, u: np.ndarray) -> None:
    """One week of the group rules over the whole population, in place."""
    harassed = g.leader == LeaderStatus.HARASSED
    g.leader[harassed & (u < env.harassment_end_rate)] = LeaderStatus.FREE
    g.grievance += env.grievance_relaxation * (g.baseline_grievance - g.grievance)
    share = neighbour_share(g, g.activity == Activity.DEMONSTRATING)
    risk = perceived_risk(env, g.visible.astype(float))
    harassed_f = (g.leader == LeaderStatus.HARASSED).astype(float)
    dr = drive(env, g.grievance, g.risk_aversion, risk, share, harassed_f)
    free = g.leader != LeaderStatus.ARRESTED
    demo = free & (dr >= g.threshold)
    meet = free & ~demo & (dr >= g.threshold - env.meeting_margin * env.association)
    act = np.zeros(g.n, dtype=np.int8)
    act[meet] = Activity.MEETING
    act[demo] = Activity.DEMONSTRATING
    g.activity = act


class Snapshot:
    """Last week's activity, read by every group before any group changes (synchronous update)."""

    def __init__(self, g: GroupArrays) -> None:
        self.activity = [int(a) for a in g.activity]
        self.total = sum(1 for a in self.activity if a == Activity.DEMONSTRATING)
        self.new_activity = list(self.activity)


def decide_one(g: GroupArrays, i: int, env: GroupEnvironment, u_i: float, snap: Snapshot) -> None:
    """The rules for one group, in plain Python (the per-agent reference)."""
    if g.leader[i] == LeaderStatus.HARASSED and u_i < env.harassment_end_rate:
        g.leader[i] = LeaderStatus.FREE
    gi = float(g.grievance[i])
    gi = gi + env.grievance_relaxation * (float(g.baseline_grievance[i]) - gi)
    g.grievance[i] = gi
    if g.neighbours is None:
        mine = 1 if snap.activity[i] == Activity.DEMONSTRATING else 0
        count = float(snap.total - mine)
    else:
        lo, hi = int(g.neighbours.indptr[i]), int(g.neighbours.indptr[i + 1])
        neigh = g.neighbours.indices[lo:hi]
        count = float(sum(1 for j in neigh if snap.activity[int(j)] == Activity.DEMONSTRATING))
    deg = float(g.degree[i])
    share = count / deg if deg > 0 else 0.0
    risk = perceived_risk(env, 1.0 if g.visible[i] else 0.0)
    harassed = 1.0 if g.leader[i] == LeaderStatus.HARASSED else 0.0
    dr = drive(env, gi, float(g.risk_aversion[i]), risk, share, harassed)
    state = Activity.DORMANT
    if g.leader[i] != LeaderStatus.ARRESTED:
        thr = float(g.threshold[i])
        if dr >= thr:
            state = Activity.DEMONSTRATING
        elif dr >= thr - env.meeting_margin * env.association:
            state = Activity.MEETING
    snap.new_activity[i] = int(state)


def step_reference(g: GroupArrays, env: GroupEnvironment, u: np.ndarray) -> None:
    """The same week as ``step_vectorized``, one group at a time (the test oracle)."""
    snap = Snapshot(g)
    for i in range(g.n):
        decide_one(g, i, env, float(u[i]), snap)
    g.activity = np.array(snap.new_activity, dtype=np.int8)


def granovetter_equilibrium(thresholds: np.ndarray, max_rounds: int = 10_000) -> float:
    """Final participation of the M11 rule reduced to Granovetter's model (risk 0, complete ties).

    Iterates the model's own vectorized rule from nobody acting until nothing changes.
    """
    n = len(thresholds)
    g = GroupArrays(n, None)
    g.threshold = np.asarray(thresholds, dtype=float)
    env = GroupEnvironment(
        protest_tolerance=1.0,
        association=0.0,
        deterrence=0.0,
        repression_risk=0.0,
        visibility_protection=0.0,
        contagion=1.0,
        meeting_margin=0.0,
        harassment_penalty=0.0,
        harassment_end_rate=0.0,
        grievance_relaxation=0.0,
    )
    u = np.ones(n)
    for _ in range(max_rounds):
        before = g.activity.copy()
        step_vectorized(g, env, u)
        if np.array_equal(before, g.activity):
            break
    return float((g.activity == Activity.DEMONSTRATING).mean())


def environment(
    s: GroupParams, protest_tolerance: float, association: float, deterrence: float
) -> GroupEnvironment:
    """What the groups read this week: tolerated protest and association, fear, their traits."""
    return GroupEnvironment(
        protest_tolerance=protest_tolerance,
        association=association,
        deterrence=deterrence,
        repression_risk=s.repression_risk,
        visibility_protection=s.visibility_protection,
        contagion=s.contagion,
        meeting_margin=s.meeting_margin,
        harassment_penalty=s.harassment_penalty,
        harassment_end_rate=s.harassment_end_rate,
        grievance_relaxation=s.grievance_relaxation,
    )


def backlash(g: GroupArrays, hit: np.ndarray, s: GroupParams, deters: bool = True) -> None:
    """A crackdown deters for a while but angers those hit and their neighbours (memo ¶6).
    Routine arrests (``deters=False``) anger as much but are no public campaign: they do not
    add to the deterrence every group reads."""
    hit_f = hit.astype(float)
    near = g.neighbours_of(hit_f)
    g.grievance += s.backlash * hit_f + s.backlash * s.backlash_neighbour_share * (
        near & (hit_f == 0)
    )
    np.clip(g.grievance, 0.0, 1.0, out=g.grievance)
    if deters:
        g.deterrence += s.deterrence_shock

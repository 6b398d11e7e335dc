"""The SolaraViz page served by ``reform-dashboard`` (``solara run`` loads ``page``)."""

import networkx as nx
import numpy as np
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from experiments.dashboard import DashboardModel, explanations, user_params
from sim.groups import Activity
from sim.policy import REFORM_ITEMS, ItemState

NETWORK_SAMPLE = 250  # groups drawn in the network panel
ACTIVITY_COLOURS = {
    Activity.DORMANT: "#BBBBBB",
    Activity.MEETING: "#E69F00",
    Activity.DEMONSTRATING: "#D55E00",
}


def _series(model, *names):
    n = model.recorder.rows
    return np.arange(n), [model.recorder.data[k][:n] for k in names]


def _figure(title: str):
    fig = Figure(figsize=(4.2, 2.4), layout="constrained")
    ax = fig.subplots()
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("Week", fontsize=8)
    ax.tick_params(labelsize=7)
    return fig, ax


def line_panel(title: str, series: dict[str, str], ylim=None):
    """A panel of weekly series: {column: legend label}."""

    @solara.component
    def Panel(model):
        update_counter.get()
        fig, ax = _figure(title)
        weeks, values = _series(model, *series)
        for (_col, lab), y in zip(series.items(), values, strict=True):
            ax.plot(weeks, y, label=lab, lw=1.2)
        if ylim:
            ax.set_ylim(*ylim)
        ax.legend(fontsize=7, frameon=False)
        solara.FigureMatplotlib(fig, format="png")

    return Panel


@solara.component
def Mobilisation(model):
    update_counter.get()
    fig, ax = _figure("Mobilisation, demonstrations and crackdowns")
    weeks, (demos, meets, crack) = _series(model, "demonstrations", "meetings", "crackdown")
    ax.plot(weeks, demos, color="#D55E00", lw=1.2, label="groups demonstrating")
    ax.plot(weeks, meets, color="#E69F00", lw=1.2, label="groups meeting")
    for w in weeks[crack > 0]:
        ax.axvline(w, color="black", lw=0.8, ls="--")
    ax.legend(fontsize=7, frameon=False, title="dashed: crackdown", title_fontsize=7)
    solara.FigureMatplotlib(fig, format="png")


@solara.component
def Network(model):
    """A sample of the groups' network, coloured by activity state."""
    update_counter.get()
    layout = solara.use_memo(lambda: _layout(model), [model])
    nodes, pos = layout
    fig = Figure(figsize=(4.2, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_title(f"Informal groups ({len(nodes)} of {model.groups.n} shown)", fontsize=9)
    sub = model.network.subgraph(nodes) if model.network is not None else nx.empty_graph(nodes)
    colours = [ACTIVITY_COLOURS[Activity(int(model.groups.activity[i]))] for i in nodes]
    nx.draw_networkx_edges(sub, pos, ax=ax, width=0.3, alpha=0.4)
    nx.draw_networkx_nodes(sub, pos, nodelist=nodes, node_color=colours, node_size=12, ax=ax)
    for state, c in ACTIVITY_COLOURS.items():
        ax.scatter([], [], color=c, s=12, label=state.name.lower())
    ax.legend(fontsize=7, frameon=False, loc="lower left")
    solara.FigureMatplotlib(fig, format="png")


def _layout(model):
    rng = np.random.default_rng(0)
    n = model.groups.n
    nodes = sorted(rng.choice(n, size=min(NETWORK_SAMPLE, n), replace=False).tolist())
    graph = model.network.subgraph(nodes) if model.network is not None else nx.empty_graph(nodes)
    return nodes, nx.spring_layout(graph, seed=1, iterations=30)


@solara.component
def Status(model):
    """The week, and every reform item with its state."""
    update_counter.get()
    st, sc = model.params.strategy.name, model.params.scenario.name
    solara.Markdown(f"## Week {model.steps}\n\nStrategy **{st}**, scenario **{sc}**")
    rows = ["| reform item | state |", "|---|---|"]
    for item, state in zip(REFORM_ITEMS, model.policy.items, strict=True):
        rows.append(f"| {item.key.replace('_', ' ')} | {ItemState(int(state)).name.lower()} |")
    solara.Markdown("\n".join(rows))


@solara.component
def Explanations(model):
    solara.Markdown(explanations())


components = [
    (Status, 0),
    (
        line_panel(
            "Liberalisation and its codified floor",
            {"liberalization": "practice L", "codified": "codified floor F"},
            (0, 1),
        ),
        0,
    ),
    (Mobilisation, 0),
    (line_panel("Monthly emigration", {"emigration_monthly": "emigrants a month"}), 0),
    (
        line_panel(
            "Prisoners and open cases", {"prisoners": "prisoners", "open_cases": "open cases"}
        ),
        0,
    ),
    (
        line_panel(
            "Factions and NGOs",
            {
                "hardline_share": "hardline influence",
                "faction_support": "support for reform",
                "disappointment": "NGO disappointment",
            },
            (0, 1),
        ),
        0,
    ),
    (Network, 0),
    (Explanations, 0),
]

model = DashboardModel()
# SolaraViz reads only type, value, range and label; the explanation is shown in its own panel.
controls = {
    k: {f: v for f, v in spec.items() if f not in ("help", "memo")}
    for k, spec in user_params().items()
}
page = SolaraViz(model, components=components, model_params=controls, name="reform-sim")

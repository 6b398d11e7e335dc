"""Who imports whom inside ``sim/`` runs one way: drivers -> model -> agents -> mechanisms ->
state -> params.

Every import counts, including those only for type hints: a circle held apart by
``TYPE_CHECKING`` is still a circle of knowledge.
"""

import ast
from pathlib import Path

SIM = Path(__file__).resolve().parent.parent / "sim"
LAYERS = {  # a module may import only from its own layer or the ones below it
    "sim.params": 0,
    "sim.cases": 1,
    "sim.groups": 1,
    "sim.events": 1,
    "sim.calendar": 1,
    "sim.metrics": 1,
    "sim.network": 1,
    "sim.policy": 1,
    "sim.world": 1,
    "sim.mechanisms": 2,
    "sim.agents": 3,
    "sim.population": 3,
    "sim.releases": 3,
    "sim.recording": 3,
    "sim.model": 4,
    "sim.shared_start": 5,  # drives models: runs one, copies it, runs the copies
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in SIM.rglob("*.py")}


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The sim modules ``path`` imports (a name imported from a package that is itself a
    module counts as that module)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("sim")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sim"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.add(sub if sub in known else node.module)
    return out


def layer(module: str) -> int:
    key = max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len)
    return LAYERS[key]


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: imports(p, known) - {m} for m, p in known.items()}


def test_every_module_has_a_layer():
    for m in modules():
        if m != "sim":
            layer(m)


def test_imports_only_go_down_the_layers():
    wrong = [
        (a, b)
        for a, targets in graph().items()
        if a != "sim"
        for b in targets
        if layer(b) > layer(a)
    ]
    assert not wrong, f"imports that go up a layer: {wrong}"


def test_no_circle_of_imports_and_nothing_below_the_model_knows_it():
    g = graph()
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in g.get(m, ()):
            assert state.get(n) != 1, f"import circle: {' -> '.join([*path, n])}"
            if n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in g:
        if m not in state:
            visit(m, [m])
    below = layer("sim.model")
    assert [m for m, targets in g.items() if "sim.model" in targets and layer(m) <= below] == []
    assert not any("TYPE_CHECKING" in p.read_text() for p in SIM.rglob("*.py"))

"""The small-world network is networkx's Watts-Strogatz graph, edge for edge, built without it."""

import networkx as nx
import numpy as np
import pytest
from scipy import sparse

from sim.network import as_graph, watts_strogatz


def reference(n: int, k: int, p: float, seed: int) -> sparse.csr_array:
    """networkx's graph as the matrix the model used to build from it."""
    edges = np.array(nx.watts_strogatz_graph(n, k, p, seed=seed).edges(), dtype=np.int64)
    edges = edges.reshape(-1, 2)
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    adj = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    adj.sum_duplicates()
    adj.sort_indices()
    return adj


@pytest.mark.parametrize(
    ("n", "k", "p", "seeds"),
    [
        (40, 6, 0.2, 300),  # sparse: refusals rare
        (12, 4, 0.6, 300),  # dense: refused candidates, redraws
        (8, 4, 1.0, 300),  # every edge rewired
        (5, 4, 1.0, 100),  # K5: a node tied to everyone keeps its edge
        (7, 6, 1.0, 100),
        (10, 3, 0.5, 100),  # odd k: k // 2 neighbours a side
        (2000, 6, 0.1, 5),  # the model's size
    ],
)
def test_the_matrix_is_networkx_graph_edge_for_edge(n, k, p, seeds):
    for seed in range(seeds):
        ours, theirs = watts_strogatz(n, k, p, seed), reference(n, k, p, seed)
        assert np.array_equal(ours.indptr, theirs.indptr), seed
        assert np.array_equal(ours.indices, theirs.indices), seed
        assert np.array_equal(ours.data, theirs.data), seed


def test_rewiring_happens_and_keeps_the_edge_count():
    lattice = watts_strogatz(40, 6, 0.0, 1)
    rewired = watts_strogatz(40, 6, 0.5, 1)
    assert lattice.nnz == rewired.nnz == 2 * 40 * 3
    assert (lattice != rewired).nnz > 0
    ring = sparse.csr_array(nx.to_scipy_sparse_array(nx.circulant_graph(40, [1, 2, 3])))
    assert (lattice != ring).nnz == 0


def test_fewer_than_two_ties_is_no_tie():
    assert watts_strogatz(10, 1, 0.5, 3).nnz == 0


def test_the_dashboard_graph_has_the_matrix_ties():
    adj = watts_strogatz(30, 4, 0.3, 7)
    graph = as_graph(adj)
    assert graph.number_of_nodes() == 30 and graph.number_of_edges() == adj.nnz // 2
    assert all(adj[u, v] == 1 for u, v in graph.edges())

"""Exact p-median: choose ``p`` lead schools and send every school to its nearest lead.

With default weights, grouping schools into alliances with one lead each is the
p-median problem.  This package solves it to proven optimality in three stages
(:mod:`.problem` holds what they share, :mod:`.driver` runs them):

1. **Heuristic upper bound** (:mod:`.heuristic`).  Greedy construction followed by
   a vectorised best-improvement vertex substitution (Whitaker's fast interchange in
   the form of Resende and Werneck: gains and losses for every (insert, remove) pair
   from the nearest and second-nearest open lead of each client), restarted a few
   times from perturbed solutions.
2. **Lagrangian lower bound** (Beasley 1993; :mod:`.lagrangian`).  Relaxing "each
   client is assigned once" leaves a problem solved by picking the ``p`` smallest
   column sums; subgradient optimisation approaches the LP bound of the classical
   formulation in vectorised iterations of O(n m).  The relaxation's open set also
   seeds further local searches.  Lagrangian reduced costs then close candidate
   columns that cannot be in any improving solution and force open columns that
   every improving solution must contain.  Often the bound alone proves the
   incumbent optimal.
3. **Lagrangian branch and bound on the leads** (Beasley 1985; :mod:`.branch`).
   Each node fixes columns open or closed, re-optimises the multipliers from its
   parent's for a few dozen subgradient steps, fixes more columns by reduced costs
   and branches on the column that the recent relaxations open most fractionally;
   nodes are explored best bound first.
   Only when the heuristic found no open set serving every client (forbidden pairs)
   is there no incumbent to steer the search; the exact MIP of Elloumi's radius
   formulation (:mod:`.radius`; Elloumi 2010; Garcia, Labbe and Marin 2011), solved
   by HiGHS, then finds a first solution or proves that none exists.

Why this design (measured on the 2-core CI machine; the benchmark
``tests/benchmarks/bench_pmedian.py`` repeats the main comparisons and writes
``tests/benchmarks/results/pmedian.md``):

- The LP bound leaves a real gap on the OR-Library instances with small ``p``: a
  long subgradient run (12,000 iterations) reaches 9,833.2 on pmed36 (optimum
  9,934) and 9,364.1 on pmed39 (optimum 9,423).  Something has to branch.
- Until this stage existed the reduced radius model went to HiGHS as a MIP: pmed35
  and pmed38 took 44 s and 64 s, pmed36 and pmed39 were not proven in 120 s.  On
  the problem left after the root's fixing the tree took 0.03-2.3 s where HiGHS
  took 0.8-10.6 s (pmed6, 16, 26) or stopped at 30 s without a proof (pmed35, 36,
  39; its bound on pmed36 was 3,739), and CP-SAT (1 worker, linearization 2; also
  2 workers on pmed36) was no better.  With the root stages, pmed36 (563 nodes)
  takes 3.3 s, pmed39 (155 nodes) 1.9 s and all of pmed1-40 24 s.
- On random Euclidean instances with real-valued distances it was also faster:
  800 schools, p = 20, 8-10 s against 36 s for the HiGHS radius MIP; 300 schools,
  p = 10 and 500 schools, p = 100 within 0.5 s of it (0.2-1.4 s).
- The step factor of the node subgradient starts at 2 and halves after 10 steps
  without progress (at most 60 steps): on pmed36 a start of 0.5 needed 4,933 nodes
  and 23 s, a start of 0.2 did not finish in 60 s.  Subgradient steps, at the root
  and in the tree, run in single precision (pmed26, 30 and 36-40: 10.7 s in all
  against 15.2 s); every bound that proves, prunes or fixes is recomputed in double
  precision.
- HiGHS (for the fallback) runs with presolve off (its 1.14 MIP presolve returns
  wrong optima; see :func:`.radius._solve_radius_highs`).

The objective is always recomputed from the caller's distance matrix.  The bound
combines the Lagrangian value with the tree's smallest open bound (or, once the
tree is exhausted, its pruning threshold), as explained in :func:`solve_pmedian`.
Integrality of the data is used only when every finite weighted distance is an
integer.  HiGHS is imported lazily, only on the fallback path; next to ortools
9.15 it must be highspy < 1.15.
"""

from __future__ import annotations

from twinning.models.alliances.pmedian.driver import solve_pmedian
from twinning.models.alliances.pmedian.problem import PMedianResult

__all__ = ["PMedianResult", "solve_pmedian"]

"""Exact p-median: choose ``p`` lead schools and send every school to its nearest lead.

With default weights, grouping schools into alliances with one lead each is the
p-median problem.  This package solves it to proven optimality in three stages,
one module each (:mod:`.problem` holds what they share, :mod:`.driver` runs them):

1. **Heuristic upper bound** (:mod:`.heuristic`).  Greedy construction followed by
   a vectorised best-improvement vertex substitution (Whitaker's fast interchange in
   the form of Resende and Werneck: gains and losses for every (insert, remove) pair
   from the nearest and second-nearest open lead of each client), restarted a few
   times from perturbed solutions.
2. **Lagrangian lower bound** (Beasley 1993; :mod:`.lagrangian`).  Relaxing "each
   client is assigned once" leaves a problem solved by picking the ``p`` smallest
   column sums; plain subgradient optimisation approaches the LP bound of the
   classical formulation in vectorised iterations of O(n m).  The relaxation's open
   set also seeds further local searches.  Lagrangian reduced costs then (a) close
   candidate columns that cannot be in any improving solution, (b) force open columns
   that every improving solution must contain, and (c) cap, per client, the cost at
   which it can be served in an improving solution.  Often the bound alone proves the
   incumbent optimal.
3. **Exact MIP on the reduced radius formulation** (:mod:`.radius`; Elloumi 2010;
   Cornuejols, Nemhauser and Wolsey 1980; Garcia, Labbe and Marin 2011): one variable
   per client and *distinct* distance level below the cap, with Elloumi's chained
   covering rows, solved by HiGHS and warm-started from the incumbent.  After stage 2
   this model is small (227 to 4,736 columns where pmed1-15 need it).

Why this design (measured on the 2-core CI machine; the benchmark
``tests/benchmarks/bench_pmedian.py`` repeats the comparisons and writes
``tests/benchmarks/results/pmedian.md``):

- The LP relaxation of the full radius model took HiGHS 8.4-8.7 s by dual simplex on
  pmed11 and pmed12 (IPM and PDLP were no faster, primal simplex took 520 s on
  pmed6); the full radius MIP did not prove pmed6 or pmed11 in 10 s.  The Lagrangian
  dual gets within 0.02 % of the same bound in at most ~1,600 iterations (0.6 s) and
  proves 10 of pmed1-15 on its own (every distance there is an integer, so a bound
  above ``UB - 1`` suffices).
- On the reduced models HiGHS and CP-SAT (1 worker, linearization 2) were within a
  factor 1.5 of each other, the order changing between runs (pmed6: HiGHS 1.27-1.35 s,
  CP-SAT 0.88-1.21 s; pmed2, 3, 11, 12: 0.01-0.3 s for both); CP-SAT with 8 workers
  was 2-5 times slower.  HiGHS was kept because it takes fractional costs (km) as
  they are, where CP-SAT needs integer coefficients, i.e. scaling and rounding that
  a proof would have to account for.
- HiGHS runs with presolve off (its 1.14 MIP presolve returns wrong optima; see
  :func:`.radius._solve_radius_highs`) and, when warm-started, without primal
  heuristics (they took 4,200 of 6,900 LP iterations on pmed6 and 6.8 s instead of
  1.7 s).
- A plain CP-SAT model ``x[i][j] <= y[j]`` (8 workers) needs 3.2-3.6 s for pmed1 and
  does not prove pmed6 in 10 s; this package proves all of pmed1-15, the slowest
  (pmed6) in 1.6-1.7 s.
- Larger random Euclidean instances are harder for stage 3 (HiGHS spends its time
  in root cut rounds): 500 schools, p = 10 took 15 s; 800 schools, p = 20 stopped
  at a 0.02 % gap after 60 s.

The objective is always recomputed from the caller's distance matrix.  The bound
combines the Lagrangian value (computed here) with the HiGHS dual bound as explained
in :func:`solve_pmedian`; a MIP that prices its own solution below the recomputed
cost has its bound ignored.  Integrality of the data is used only when every finite
weighted distance is an integer.  HiGHS is imported lazily, on the first
instance that needs stage 3; next to ortools 9.15 it must be highspy < 1.15.
"""

from __future__ import annotations

from solver.models.alliances.pmedian.driver import solve_pmedian
from solver.models.alliances.pmedian.problem import PMedianResult

__all__ = ["PMedianResult", "solve_pmedian"]

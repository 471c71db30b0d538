"""The models: the only code that imports a solver (OR-Tools, PuLP, HiGHS)."""

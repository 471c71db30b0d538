"""The checker's rules: one ``check_<rule>`` per rule in a module per part.

Each module re-derives what its rules demand from the instance (terms from
:mod:`twinning.rules`), lists every violation with its rule, schools and amount, and
recomputes its part's objective. It never imports ortools nor the models
(:mod:`twinning.models`). :func:`twinning.validation.validate` runs them all, part by part,
as each part's record (:mod:`twinning.parts`) lists them.
"""

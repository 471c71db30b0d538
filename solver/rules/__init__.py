"""Shared rule terms: what each rule means, imported by both the models and the checker.

Nothing here builds a model or checks a plan; it defines the terms (who is due, what a
school may host, which arcs a pair may use) so that the two sides cannot disagree.
"""

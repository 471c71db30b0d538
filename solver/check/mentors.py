"""The checker's mentor rules (青蓝结对): one ``check_<rule>`` per rule key.

Part of the specification (see :mod:`twinning.check`): it never imports ortools nor the
models. A mentor line of the roster (``kind == "mentor"``) names the mentor as ``staff``
and the young teacher as ``mentee``; the terms (young, not older, mentor schools, away,
recent pairs) are defined once in :mod:`twinning.rules.roster`, and each check recounts
its rule from the plan's lines, the plan's pairs and alliances, and the plan's other
moves. Every check takes the :class:`~twinning.check.roster.RosterFacts` computed once for
the roster checks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from twinning.check.report import Violation
from twinning.check.roster import RosterFacts
from twinning.county.instance import Staff
from twinning.plan import Move
from twinning.rules import roster as rules
from twinning.rules.departments import mentee_elsewhere, mentee_may_pair


def _lines(f: RosterFacts) -> list[tuple[Move, Staff, Staff]]:
    """Mentor lines naming a known mentor and a known mentee, with the two people.

    Lines naming an unknown mentee are reported once, by :func:`check_one_to_one`. Found
    once per plan (every mentor check reads them; read only).
    """
    got: list[tuple[Move, Staff, Staff]] | None = f.memo.get("mentor_lines")
    if got is None:
        got = f.memo["mentor_lines"] = _find_lines(f)
    return got


def _find_lines(f: RosterFacts) -> list[tuple[Move, Staff, Staff]]:
    out = []
    for m in f.mentors:
        mentee = f.staff.get(m.mentee or "")
        if mentee is not None:
            out.append((m, f.staff[m.staff], mentee))
    return out


def _v(
    rule: str,
    mentor: Staff,
    mentee: Staff,
    /,
    *,
    code: str,
    amount: float | None = None,
    **params: Any,
) -> Violation:
    """A violation of a mentor line, where it is: the mentor and the mentee."""
    return Violation(
        rule=rule, where=[mentor.id, mentee.id], amount=amount, code=code, params=params
    )


def _known(value: int | None) -> int | str:
    """A figure of the data, or "-" where the data leaves it blank."""
    return "-" if value is None else value


def check_one_to_one(f: RosterFacts) -> list[Violation]:
    """[mentors.one_to_one] A mentor has one mentee and a mentee one mentor; a mentor line
    names a known mentee."""
    out = []
    for sid, n in sorted(Counter(m.staff for m in f.mentors).items()):
        if n > 1:
            out.append(
                Violation(
                    rule="mentors.one_to_one",
                    where=[sid],
                    amount=n - 1,
                    code="check.mentors.one_to_one.mentor",
                    params={"staff": sid, "n": n},
                )
            )
    for sid, n in sorted(Counter(m.mentee for m in f.mentors if m.mentee).items()):
        if n > 1:
            out.append(
                Violation(
                    rule="mentors.one_to_one",
                    where=[sid],
                    amount=n - 1,
                    code="check.mentors.one_to_one.mentee",
                    params={"staff": sid, "n": n},
                )
            )
    for m in f.mentors:
        if (m.mentee or "") not in f.staff:
            out.append(
                Violation(
                    rule="mentors.one_to_one",
                    where=[m.staff, m.mentee or "-"],
                    code="check.mentors.one_to_one.unknown",
                )
            )
    return out


def check_backbone(f: RosterFacts) -> list[Violation]:
    """[mentors.backbone] The mentor is an active county-level-or-above backbone teacher."""
    return [
        _v(
            "mentors.backbone",
            mentor,
            mentee,
            code="check.mentors.backbone",
            mentor=mentor.id,
        )
        for _, mentor, mentee in _lines(f)
        if not rules.can_mentor(mentor)
    ]


def check_same_subject(f: RosterFacts) -> list[Violation]:
    """[mentors.same_subject] Mentor and mentee teach the same subject."""
    return [
        _v(
            "mentors.same_subject",
            mentor,
            mentee,
            code="check.mentors.same_subject",
            subject=mentor.subject,
            mentee_subject=mentee.subject,
        )
        for _, mentor, mentee in _lines(f)
        if mentor.subject != mentee.subject
    ]


def check_young(f: RosterFacts) -> list[Violation]:
    """[mentors.young] The mentee is active and young: at most ``rotation.mentor_max_age``
    years old, or under ``rotation.mentor_max_years`` years of teaching (教龄)."""
    return [
        _v(
            "mentors.young",
            mentor,
            mentee,
            code="check.mentors.young",
            mentee=mentee.id,
            age=_known(mentee.age),
            years=_known(mentee.teaching_years),
            status=mentee.status,
        )
        for _, mentor, mentee in _lines(f)
        if not rules.can_be_mentored(f.inst, mentee)
    ]


def check_younger(f: RosterFacts) -> list[Violation]:
    """[mentors.younger] The mentee is never older than the mentor: strictly younger when
    both ages are known, else strictly fewer teaching years when both are known."""
    out = []
    for _, mentor, mentee in _lines(f):
        if rules.not_older(mentee, mentor):
            continue
        if mentee.age is not None and mentor.age is not None:
            out.append(
                _v(
                    "mentors.younger",
                    mentor,
                    mentee,
                    code="check.mentors.younger.age",
                    amount=mentee.age - mentor.age,
                    mentee=mentee.id,
                    mentor=mentor.id,
                    age=mentee.age,
                    mentor_age=mentor.age,
                )
            )
        else:  # not_older compared teaching years, so both are known
            out.append(
                _v(
                    "mentors.younger",
                    mentor,
                    mentee,
                    code="check.mentors.younger.years",
                    amount=(mentee.teaching_years or 0) - (mentor.teaching_years or 0),
                    mentee=mentee.id,
                    mentor=mentor.id,
                    years=mentee.teaching_years,
                    mentor_years=mentor.teaching_years,
                )
            )
    return out


def check_pair(f: RosterFacts) -> list[Violation]:
    """[mentors.pair] The mentor comes from the mentee's helper school, or from an urban or
    strong school of the alliance of a mentee's school that is neither."""
    sources = rules.mentor_schools(f.inst, f.plan.pairs, f.plan.alliances)
    return [
        _v(
            "mentors.pair",
            mentor,
            mentee,
            code="check.mentors.pair",
            school=mentee.school,
            mentor_school=mentor.school,
        )
        for _, mentor, mentee in _lines(f)
        if mentor.school not in sources.get(mentee.school, set())
    ]


def check_at_home(f: RosterFacts) -> list[Violation]:
    """[mentors.at_home] A mentor is not away on an exchange, secondment or headship: the
    mentor line spans the horizon, so any such move of the mentor overlaps it."""
    away = rules.away_staff([*f.moves, *f.headship])
    return [
        _v(
            "mentors.at_home",
            mentor,
            mentee,
            code="check.mentors.at_home",
            mentor=mentor.id,
        )
        for _, mentor, mentee in _lines(f)
        if mentor.id in away
    ]


def check_mentee_at_home(f: RosterFacts) -> list[Violation]:
    """[rotation.mentee_at_home] A mentee is not away on an exchange, a learning stint, a
    secondment or a headship elsewhere than the mentor's school in a period of the mentor
    line (a line whose first period is not of the horizon is taken to span it)."""
    if not f.inst.policy.rotation.mentee_at_home:
        return []
    index = {p: t for t, p in enumerate(f.periods)}
    theirs: dict[str, list[tuple[Move, int]]] = defaultdict(list)
    for m, first in f.all_spans:
        theirs[m.staff].append((m, first))
    out = []
    for line, mentor, mentee in _lines(f):
        if line.first_period in index:
            lo, hi = index[line.first_period], index[line.first_period] + line.periods
        else:
            lo, hi = 0, len(f.periods)
        for m, first in theirs.get(mentee.id, []):
            overlap = range(max(lo, first), min(hi, first + m.periods, len(f.periods)))
            if m.to_school != mentor.school and len(overlap):
                out.append(
                    _v(
                        "rotation.mentee_at_home",
                        mentor,
                        mentee,
                        code="check.rotation.mentee_at_home",
                        mentee=mentee.id,
                        school=m.to_school,
                        period=f.periods[overlap[0]],
                        mentor=mentor.id,
                        mentor_school=mentor.school,
                    )
                )
                break
    return out


def check_mentor_cycle_years(f: RosterFacts) -> list[Violation]:
    """[rotation.mentor_cycle_years] A mentor pair of history that began within the last
    ``rotation.mentor_cycle_years`` years (first year of its period against the first year
    of the horizon) is not formed again."""
    recent = rules.recent_mentor_pairs(f.inst)
    return [
        _v(
            "rotation.mentor_cycle_years",
            mentor,
            mentee,
            code="check.rotation.mentor_cycle_years",
            mentor=mentor.id,
            mentee=mentee.id,
            years=f.inst.policy.rotation.mentor_cycle_years,
        )
        for _, mentor, mentee in _lines(f)
        if (mentor.id, mentee.id) in recent
    ]


def check_maximal(f: RosterFacts) -> list[Violation]:
    """[mentors.maximal] No free mentor and free mentee could still be paired under every
    mentor rule (backbone, at home, young, same subject, mentor school, not older, not a
    recent pair, the mentee at home or at the mentor's school).

    A mentor is free when no line names them as mentor, a mentee when no line names them
    as mentee; one violation per free mentor, naming the first such mentee.
    """
    busy_mentors = {m.staff for m in f.mentors}
    busy_mentees = {m.mentee for m in f.mentors if m.mentee}
    away = rules.away_staff([*f.moves, *f.headship])
    elsewhere = mentee_elsewhere([*f.moves, *f.headship])
    recent = rules.recent_mentor_pairs(f.inst)
    helps: dict[str, set[str]] = defaultdict(set)
    for mentee_school, sources in rules.mentor_schools(
        f.inst, f.plan.pairs, f.plan.alliances
    ).items():
        for school in sources:
            helps[school].add(mentee_school)
    # only the schools mentors may come from, and those their mentees may be at, are read
    mentee_schools = set().union(*helps.values())
    free: dict[tuple[str, str], list[Staff]] = defaultdict(list)
    for t in f.inst.staff:
        if (
            t.school in mentee_schools
            and t.id not in busy_mentees
            and rules.can_be_mentored(f.inst, t)
        ):
            free[(t.school, t.subject or "")].append(t)
    out = []
    for t in f.inst.staff:
        if t.school not in helps:
            continue  # no school to mentor at: never a free mentor left out
        if t.id in busy_mentors or t.id in away or not rules.can_mentor(t):
            continue
        first = next(
            (
                y
                for school in sorted(helps.get(t.school, ()))
                for y in free.get((school, t.subject or ""), [])
                if y.id != t.id
                and (t.id, y.id) not in recent
                and rules.not_older(y, t)
                and mentee_may_pair(f.inst, elsewhere.get(y.id), t.school)
            ),
            None,
        )
        if first is not None:
            out.append(
                _v(
                    "mentors.maximal",
                    t,
                    first,
                    code="check.mentors.maximal",
                    mentor=t.id,
                    mentee=first.id,
                )
            )
    return out


#: Every mentor rule's check, in the order violations are listed.
MENTOR_CHECKS = (
    check_one_to_one,
    check_backbone,
    check_same_subject,
    check_young,
    check_younger,
    check_pair,
    check_at_home,
    check_mentee_at_home,
    check_mentor_cycle_years,
    check_maximal,
)

"""Why a school is below its rotation quota, in planner terms, from the rules alone.

For each school that moves fewer teachers than its quota (:func:`~twinning.rules.roster.
quota_required`) the reason is a funnel computed from the same definitions the move
options are built from (:mod:`twinning.models.roster.options`), without a solve:

1. its due teachers (the quota's base) and those the rules let go at all: not moved in
   the last cycle [rotation.last_cycle]; an exchange long enough to count
   [rotation.min_periods_for_quota]; per subject, a school to go to in the scope that is
   short of the subject [rotation.scope, needs.shortage], of a shared stage
   [rotation.same_stage] and near enough [rotation.max_km, rotation.max_minutes];
2. how many of those the school can spare per subject [rotation.protect_sender,
   rotation.keep_subject_cover], counting the learners of the subject who could come in
   (对岗互派), and how many of the subject may be away at once
   [rotation.max_department_share];
3. how many may be away at once [rotation.max_outflow_share] and how many the schools they
   may go to can take [rotation.host_capacity].

An exchange of k periods or more takes a place in every k-th period, so over a horizon of
H periods a per-period limit c lets at most c x (H // k) counted exchanges happen
(:func:`windows`). Each step is an upper bound that ignores the other schools; when the
bounds let the quota go and the plan still moves fewer, what stops the rest is shared with
other schools (the hosts' capacity, the county-wide shares) and the reason says so.

Every reason is a message (``quota.*``): the school's due teachers, how many the rules let
go, and each rule that stops the rest with how many it stops.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from twinning.county.distances import Distances
from twinning.county.instance import Instance, School, Staff
from twinning.messages import Msg, msg
from twinning.plan import Membership, Move, Pair
from twinning.rules import roster as rules
from twinning.rules.departments import department_limit, department_sizes

__all__ = ["counted_sent", "kept_home", "quota_reasons", "windows"]

#: A node of the flow that finds schools sharing too few hosts: ("school", id),
#: ("subject", school, subject), ("host", id), ("source",), ("sink",).
Node = tuple[str, ...]


def windows(caps: list[int], k: int) -> int:
    """The most exchanges of at least ``k`` periods that per-period limits ``caps`` allow:
    every such exchange covers one period of each offset class ``o, o + k, o + 2k, ...``,
    so at most the smallest of those classes' sums (0 when no exchange fits)."""
    if len(caps) < k:
        return 0
    return min(sum(caps[o::k]) for o in range(k))


@dataclass
class Alone:
    """What the rules let one school send on counted exchanges, were it the only sender."""

    can: int = 0
    stops: list[Msg] = field(default_factory=list)
    #: due teachers free to go with a host short of their subject (the options' movers)
    placeable: int = 0
    #: subject -> (teachers of it the school can spare, the hosts they may go to)
    spared: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    #: subject -> the rule that stops (some of) its teachers (the stop said for it)
    by_subject: dict[str, Msg] = field(default_factory=dict)


class _County:
    """What every school's reason reads, worked out once."""

    def __init__(
        self,
        inst: Instance,
        pairs: list[Pair],
        alliances: list[Membership],
        dist: Distances,
        due: dict[str, list[Staff]] | None = None,
    ) -> None:
        rot = inst.policy.rotation
        self.inst, self.dist = inst, dist
        self.k = rot.min_periods_for_quota
        self.horizon = len(inst.policy.horizon.periods)
        lengths = rules.durations(inst, "exchange")
        self.longest = max(lengths) if lengths else 0
        self.schools = {s.id: s for s in inst.schools}
        self.scope = rules.scope_hosts(inst, pairs, alliances)
        self.partners = rules.partner_hosts(inst, pairs, alliances)
        self.last = rules.moved_last_cycle(inst)
        self.short_at: dict[str, set[str]] = defaultdict(set)
        for school, subject, _ in rules.shortage_table(inst):
            self.short_at[school].add(subject)
        self.surplus = rules.surplus_table(inst)
        self.surplus_subjects = rules.surplus_subjects(inst)
        self.outflow = rules.outflow_limit(inst)
        size = rules.staff_count(inst)
        self.capacity = {s.id: rules.host_capacity(inst, s, size[s.id]) for s in inst.schools}
        self.have: Counter[tuple[str, str]] = Counter()
        self.learners: Counter[tuple[str, str]] = Counter()  # available teachers per subject
        for t in inst.staff:
            if t.subject:
                self.have[(t.school, t.subject)] += 1
            if t.role == "teacher" and rules.available(inst, t, self.last):
                self.learners[(t.school, t.subject or "")] += 1
        self.departments = department_sizes(inst)  # [rotation.max_department_share]
        self.due = due_teachers(inst) if due is None else due
        self.periods = range(self.horizon)
        self.quota = rules.quota_required(inst, _base(self.due))
        self.group_of, self.groups = _groups(inst, pairs, alliances)
        self._alone: dict[str, Alone] = {}
        self._crowded: dict[str, dict[str, Msg]] = {}
        self._homes: dict[str, tuple[set[str], set[str]]] = {}
        self.taken: Counter[tuple[str, int]] = Counter()
        self.away: Counter[tuple[str, int]] = Counter()
        self.senders: dict[str, set[str]] = defaultdict(set)

    def placed(self, moves: Iterable[Move]) -> None:
        """The plan's places taken at each host and period (exchanges and secondments, as
        rotation.host_capacity counts them), and who took them."""
        index = {p: t for t, p in enumerate(self.inst.policy.horizon.periods)}
        for m in moves:
            if m.kind not in ("exchange", "secondment") or m.first_period not in index:
                continue
            first = index[m.first_period]
            for t in range(first, min(first + m.periods, self.horizon)):
                self.taken[(m.to_school, t)] += 1
                self.away[(m.from_school, t)] += 1
            self.senders[m.to_school].add(m.from_school)

    def has_room(self, host: str) -> bool:
        """Whether a counted exchange still fits at ``host`` in the plan: k consecutive
        periods, each below its capacity."""
        cap = self.capacity.get(host, 0)
        free = [self.taken[(host, t)] < cap for t in self.periods]
        return any(all(free[t : t + self.k]) for t in range(self.horizon - self.k + 1))

    def held(self, school: str, moved: int) -> Msg:
        """What held a school the rules alone let meet its quota, in the plan: the hosts its
        teachers may go to full, or those of its surplus subjects full while its other
        teachers wait on them [rotation.surplus_first]; else the rules it shares."""
        alone = self.alone(school)
        spare = self.surplus_subjects.get(school, set())
        full: set[str] = set()
        open_subjects: list[str] = []
        for subject, (_, near) in sorted(alone.spared.items()):
            roomy = [h for h in near if self.has_room(h)]
            if roomy:
                open_subjects.append(subject)
            else:
                full.update(near)
        where = self.where()
        if not open_subjects:
            return self._full(school, full, "quota.stop.full", where=where)
        surplus_full = [x for x in sorted(alone.spared) if x in spare and x not in open_subjects]
        waiting = [x for x in open_subjects if x not in spare]
        if self.inst.policy.rotation.surplus_first and surplus_full and waiting:
            first = sum(
                min(
                    max(self.surplus.get((school, x, t), 0) for t in self.periods),
                    alone.spared[x][0],
                )
                for x in surplus_full
            )
            hosts = {h for x in surplus_full for h in alone.spared[x][1]}
            return self._full(
                school,
                hosts,
                "quota.stop.first",
                where=where,
                surplus=surplus_full,
                others=waiting,
                first=first,
            )
        return msg("quota.stop.shared", can=alone.can, moved=moved, where=where)

    def _full(self, school: str, hosts: set[str], code: str, **params: object) -> Msg:
        others = sorted(set().union(*(self.senders[h] for h in hosts)) - {school})
        cap = sum(self.capacity.get(h, 0) for h in hosts)
        if not others:  # full with the school's own moves: no one else to name
            return msg(f"{code}_alone", hosts=len(hosts), cap=cap, **params)
        return msg(code, hosts=len(hosts), cap=cap, senders=len(others), **params)

    def where(self) -> Msg:
        return msg(f"quota.scope.{self.inst.policy.rotation.scope}")

    def room(self, host: str) -> int:
        """Counted exchanges a host can take over the horizon [rotation.host_capacity]."""
        return windows([self.capacity.get(host, 0)] * self.horizon, self.k)

    def reason(self, school: School, quota: int, moved: int) -> Msg:
        """Why ``school`` moves ``moved`` of ``quota`` (see the module docstring): the rules
        that hold the school itself below its quota, else the hosts it shares with the
        others, else what the plan shares beyond that."""
        alone = self.alone(school.id)
        stops = alone.stops
        if alone.can >= quota:
            crowded = self.crowded(school.id)
            stops = [crowded if crowded is not None else self.held(school.id, moved)]
        due = len(self.due.get(school.id, []))
        return msg("quota.why", due=due, can=min(alone.can, due), k=self.k, stops=stops)

    def alone(self, school: str) -> Alone:
        """What the rules let ``school`` send were it the only sender (worked out once)."""
        got = self._alone.get(school)
        if got is None:
            got = self._alone[school] = self._work_out(self.schools[school])
        return got

    def _work_out(self, school: School) -> Alone:
        k = self.k
        due = self.due.get(school.id, [])
        out = Alone()
        free = [t for t in due if t.id not in self.last]
        if len(free) < len(due):
            out.stops.append(msg("quota.stop.last_cycle", n=len(due) - len(free)))
        if free and self.longest < k:
            out.stops.append(
                msg(
                    "quota.stop.length",
                    n=len(free),
                    k=k,
                    longest=self.longest,
                    horizon=self.horizon,
                )
            )
        elif free:
            self._funnel(school, free, out)
        return out

    def _funnel(self, school: School, free: list[Staff], out: Alone) -> None:
        """How many of ``free`` the rules let go on counted exchanges (``out.can``), each
        rule that stops some (``out.stops``), what each subject can spare and where."""
        inst, rot, k = self.inst, self.inst.policy.rotation, self.k
        by_subject: dict[str, int] = Counter(t.subject or "" for t in free)
        hosts = [
            h
            for h in sorted(self.scope.get(school.id, ()))
            if not rules.advantaged(self.schools[h])
        ]
        if not hosts:
            out.stops.append(msg("quota.stop.no_scope", n=len(free), where=self.where()))
            return
        blocked: list[tuple[int, str, Msg]] = []
        kept: list[tuple[int, str, Msg]] = []
        for subject, n in sorted(by_subject.items()):
            short = [h for h in hosts if subject in self.short_at.get(h, ())]
            staged = [h for h in short if rules.stage_fit(inst, school, self.schools[h])]
            near = [h for h in staged if rules.near_enough(inst, self.dist, school.id, h)]
            where = self.where()
            if not short:
                blocked.append(
                    (n, subject, msg("quota.stop.no_host", n=n, subject=subject, where=where))
                )
            elif not staged:
                blocked.append(
                    (n, subject, msg("quota.stop.stage", n=n, subject=subject, where=where))
                )
            elif not near:
                said = msg("quota.stop.km", n=n, subject=subject, where=where, km=rot.max_km)
                if any(rules.within_km(inst, self.dist.km(school.id, h)) for h in staged):
                    said = msg(  # within max_km, but too long a way [rotation.max_minutes]
                        "quota.stop.minutes",
                        n=n,
                        subject=subject,
                        where=where,
                        minutes=rot.max_minutes,
                    )
                blocked.append((n, subject, said))
            else:
                out.placeable += n
                spared, why = self._spare(school, subject, n)
                if why is not None:
                    kept.append((n - spared, subject, why))
                if spared:
                    out.spared[subject] = (spared, near)
        out.by_subject = {subject: said for _, subject, said in [*blocked, *kept]}
        out.stops.extend(said for _, _, said in sorted(blocked, key=lambda b: (-b[0], b[1])))
        out.stops.extend(said for _, _, said in sorted(kept, key=lambda b: (-b[0], b[1])))
        total = sum(n for n, _ in out.spared.values())
        most = windows([self.outflow.get(school.id, 0)] * self.horizon, k)
        if total > most:
            out.stops.append(
                msg(
                    "quota.stop.outflow",
                    n=total - most,
                    limit=self.outflow.get(school.id, 0),
                    most=most,
                    k=k,
                )
            )
            total = most
        reached = {h for _, near in out.spared.values() for h in near}
        room = sum(self.capacity.get(h, 0) for h in reached)
        most = windows([room] * self.horizon, k)
        if total > most:
            out.stops.append(msg("quota.stop.capacity", n=total - most, cap=room, most=most, k=k))
            total = most
        out.can = total

    def kept(self, person: Staff) -> Msg | None:
        """The rule that keeps a due teacher at home in the plan, as the school's funnel
        says it for their subject (no host short of it in scope, of the stage, near enough;
        the school cannot spare them), or the plan's own figures (the school's away limit
        reached, or every host short of their subject full, in every window of a counted
        exchange); None when no rule does (the plan's choice)."""
        if person.id in self.last:
            return msg("quota.stop.last_cycle", n=1)
        if self.longest < self.k:
            return msg(
                "quota.stop.length", n=1, k=self.k, longest=self.longest, horizon=self.horizon
            )
        school, subject = person.school, person.subject or ""
        alone = self.alone(school)
        if not any(not rules.advantaged(self.schools[h]) for h in self.scope.get(school, ())):
            return msg("quota.stop.no_scope", n=1, where=self.where())
        stop = alone.by_subject.get(subject)
        if subject not in alone.spared:
            return stop
        near = alone.spared[subject][1]
        limit = self.outflow.get(school, 0)
        runs = range(self.horizon - self.k + 1)
        if not any(all(self.away[(school, u)] < limit for u in range(t, t + self.k)) for t in runs):
            return msg("quota.kept.outflow", school=school, limit=limit, k=self.k)
        if not any(self.has_room(h) for h in near):
            return msg(
                "quota.kept.full",
                subject=subject,
                where=self.where(),
                hosts=len(near),
                cap=sum(self.capacity.get(h, 0) for h in near),
            )
        return stop  # some of the subject are kept by the sender's cover rules, or None

    def crowded(self, school: str) -> Msg | None:
        """When ``school`` belongs to a set of quota schools that must send more than the
        hosts their teachers may go to can take [rotation.host_capacity]: that set, what
        it must send and what its hosts take; None when no such set holds it.

        What each quota school of the group may send (its quota, or what the rules let it
        send alone) flows through the subjects it can spare to the hosts short of them,
        each taking ``room`` counted exchanges; the schools a minimum cut leaves on the
        source side are such a set (Hall's condition)."""
        group = self.group_of.get(school, school)
        if group not in self._crowded:
            self._crowded[group] = self._cut(self.groups.get(group, {school}))
        return self._crowded[group].get(school)

    def _cut(self, members: set[str]) -> dict[str, Msg]:
        senders = sorted(s for s in members if s in self.quota)
        if len(senders) > MAX_FLOW_SCHOOLS:
            return {}  # a county-wide group: too large to cut here, and rarely crowded
        source, sink = ("source",), ("sink",)
        edges: dict[Node, dict[Node, int]] = defaultdict(dict)
        demand = 0
        for s in senders:
            alone = self.alone(s)
            need = min(self.quota[s], alone.can)
            if not need:
                continue
            demand += need
            edges[source][("school", s)] = need
            for subject, (spared, near) in alone.spared.items():
                edges[("school", s)][("subject", s, subject)] = spared
                for h in near:
                    edges[("subject", s, subject)][("host", h)] = spared
                    edges[("host", h)][sink] = self.room(h)
        total, side = max_flow_cut(edges, source, sink)
        if total >= demand:
            return {}
        schools = sorted(node[1] for node in side if node[0] == "school")
        hosts = sorted(node[1] for node in side if node[0] == "host")
        # the cut's capacity on the schools' side: the hosts' room, and what the subjects
        # left out of the side can spare
        most = sum(self.room(h) for h in hosts) + sum(
            cap for a in side if a[0] == "school" for b, cap in edges[a].items() if b not in side
        )
        said = msg(
            "quota.stop.crowded",
            schools=len(schools),
            need=sum(edges[source][("school", s)] for s in schools),
            hosts=len(hosts),
            cap=sum(self.capacity.get(h, 0) for h in hosts),
            most=most,
            k=self.k,
        )
        return dict.fromkeys(schools, said)

    def _spare(self, school: School, subject: str, n: int) -> tuple[int, Msg | None]:
        """How many of ``n`` placeable teachers of ``subject`` the school can spare on
        counted exchanges [rotation.protect_sender, rotation.keep_subject_cover], and the
        rule that keeps the rest (None when none is kept)."""
        rot = self.inst.policy.rotation
        shared = rot.max_department_share < 1
        if not (rot.protect_sender or rot.keep_subject_cover or shared):
            return n, None
        arrive = min(self._learners(school, subject), self.capacity.get(school.id, 0))
        have = self.have[(school.id, subject)]
        spare = [self.surplus.get((school.id, subject, t), 0) for t in self.periods]
        by_sender = windows([s + arrive for s in spare], self.k) if rot.protect_sender else n
        by_cover = windows([have - 1 + arrive] * self.horizon, self.k)
        by_cover = by_cover if rot.keep_subject_cover else n
        # [rotation.max_department_share] at most so many of the department away at once
        size = self.departments[(school.id, subject)]
        limit = department_limit(self.inst, size)
        by_department = windows([limit] * self.horizon, self.k) if shared else n
        spared = max(0, min(n, by_sender, by_cover, by_department))
        if spared == n:
            return n, None
        if by_department < min(by_sender, by_cover):
            said = msg(
                "quota.stop.department", n=n - spared, subject=subject, size=size, limit=limit
            )
        elif by_sender <= by_cover:
            said = msg(
                "quota.stop.sender",
                n=n - spared,
                subject=subject,
                spare=min(spare, default=0),
                arrive=arrive,
            )
        else:
            said = msg("quota.stop.cover", n=n - spared, subject=subject, have=have)
        return spared, said

    def _learners(self, school: School, subject: str) -> int:
        """Teachers of ``subject`` who could come to ``school`` to learn (进城学艺) as the
        options let them [rotation.two_way, rotation.scope]: available, at a school neither
        urban nor strong of its stage and near enough, that is its partner (pair partner
        or lead), or in its scope when the school needs an arrival of the subject to send
        one (对岗互派: no surplus of it in some period)."""
        if not self.inst.policy.rotation.two_way:
            return 0
        partners, scoped = self._learner_homes(school)
        needs_one = any(self.surplus.get((school.id, subject, t), 0) == 0 for t in self.periods)
        homes = partners | scoped if needs_one else partners
        return sum(self.learners[(h, subject)] for h in homes)

    def _learner_homes(self, school: School) -> tuple[set[str], set[str]]:
        """The schools learners may come to ``school`` from: its partners, and the others
        of its scope (worked out once per school)."""
        got = self._homes.get(school.id)
        if got is None:

            def fit(h: str) -> bool:
                return (
                    not rules.advantaged(self.schools[h])
                    and rules.stage_fit(self.inst, self.schools[h], school) == "same"
                    and rules.near_enough(self.inst, self.dist, h, school.id)
                )

            partners = {h for h in self.partners.get(school.id, ()) if fit(h)}
            scoped = {h for h in self.scope.get(school.id, ()) if h not in partners and fit(h)}
            got = self._homes[school.id] = (partners, scoped)
        return got


#: Groups of more quota schools than this (a county-wide scope of a large county) are not
#: cut for a shared-capacity reason: the flow would take longer than the reason is worth.
MAX_FLOW_SCHOOLS = 400


def max_flow_cut(
    edges: dict[Node, dict[Node, int]], source: Node, sink: Node
) -> tuple[int, set[Node]]:
    """The maximum flow from ``source`` to ``sink`` over ``edges`` (node -> node ->
    capacity) and the source side of a minimum cut (the nodes the residual graph still
    reaches from the source). Shortest augmenting paths, each by its bottleneck: the
    graphs here have hundreds of nodes."""
    residual: dict[Node, dict[Node, int]] = defaultdict(dict)
    for a, outs in edges.items():
        for b, cap in outs.items():
            residual[a][b] = residual[a].get(b, 0) + cap
            residual[b].setdefault(a, 0)

    def search() -> dict[Node, Node | None]:
        came: dict[Node, Node | None] = {source: None}
        queue = [source]
        while queue and sink not in came:
            nxt = []
            for a in queue:
                for b, cap in residual[a].items():
                    if cap > 0 and b not in came:
                        came[b] = a
                        nxt.append(b)
            queue = nxt
        return came

    total = 0
    while True:
        came = search()
        if sink not in came:
            return total, set(came)
        path: list[tuple[Node, Node]] = []
        node = sink
        while (before := came[node]) is not None:
            path.append((before, node))
            node = before
        amount = min(residual[x][y] for x, y in path)
        for x, y in path:
            residual[x][y] -= amount
            residual[y][x] += amount
        total += amount


def _groups(
    inst: Instance, pairs: list[Pair], alliances: list[Membership]
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """The schools whose teachers may reach one another's hosts [rotation.scope]: the
    county, an alliance, or the schools a chain of pairs joins. (school -> group, group ->
    schools)."""
    scope = inst.policy.rotation.scope
    ids = [s.id for s in inst.schools]
    if scope == "county":
        return dict.fromkeys(ids, "county"), {"county": set(ids)}
    parent = {s: s for s in ids}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    if scope == "pair":
        links = [(p.helper, p.helped) for p in pairs]
    else:
        links = [(m.member, m.lead) for m in alliances]
    for a, b in links:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = defaultdict(set)
    for s in ids:
        groups[find(s)].add(s)
    return {s: find(s) for s in ids}, dict(groups)


def due_teachers(inst: Instance) -> dict[str, list[Staff]]:
    """Each school's quota-eligible teachers (the quota's base, :func:`rules.quota_base`)."""
    out: dict[str, list[Staff]] = defaultdict(list)
    for t in inst.staff:
        if rules.quota_eligible(inst, t):
            out[t.school].append(t)
    return out


def _base(due: dict[str, list[Staff]]) -> Counter[str]:
    return Counter({school: len(people) for school, people in due.items()})


def counted_sent(inst: Instance, moves: Iterable[Move]) -> Counter[str]:
    """Teachers each school moves on counted exchanges (at least
    ``rotation.min_periods_for_quota`` periods), from the roster lines ``moves``."""
    teachers = {t.id for t in inst.staff if t.role == "teacher"}
    return Counter(
        m.from_school
        for m in moves
        if m.kind == "exchange" and m.staff in teachers and rules.counts_for_quota(inst, m.periods)
    )


def kept_home(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances,
    moves: Sequence[Move],
    person: Staff,
) -> Msg | None:
    """The rule that keeps ``person`` (a due teacher who does not move in the roster lines
    ``moves``) at home, in the scope the given pairs and alliances make: a ``quota.*``
    message, or None when no rule does and staying is the plan's choice."""
    county = _County(inst, pairs, alliances, dist)
    county.placed(moves)
    return county.kept(person)


def quota_reasons(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances,
    moves: Sequence[Move],
) -> dict[str, Msg]:
    """School -> why it moves fewer than its quota (``quota.why``), for every school whose
    counted exchanges in the roster lines ``moves`` are below its quota.

    The scope is the one the given pairs and alliances make (the plan's own); where the
    rules alone would let a school meet its quota, the plan's own use of the hosts says
    what held it (the moves' places at each host)."""
    sent = counted_sent(inst, moves)
    due = due_teachers(inst)
    below = {
        school: need
        for school, need in rules.quota_required(inst, _base(due)).items()
        if sent.get(school, 0) < need
    }
    if not below:
        return {}
    county = _County(inst, pairs, alliances, dist, due)
    county.placed(moves)
    return {
        school: county.reason(county.schools[school], need, sent.get(school, 0))
        for school, need in sorted(below.items())
    }

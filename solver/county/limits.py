"""The largest numbers a county's files and policy may hold, in one place.

A number past these is a typing mistake (a student count pasted into the wrong column, a
row of 9s), never a county: it is refused with its file, row and column, and the message
says the bound. Without them a count of 99999999999999999999 passed the reader and broke a
solver far away (a 64-bit overflow), or a week list of "1-99999999" filled the memory.

Each bound is generous: the largest real case sits well inside it, so that no county is
ever refused for being large. Why each is what it is:

- students in one school: 100,000. The largest Chinese schools (boarding senior schools,
  education groups counted as one) have some 30,000 students.
- staff counts at one school (a shortage, a surplus, a host capacity, secondments taken):
  100,000, as many as its students at most (a school of 30,000 students has about 2,500
  staff; the explanation lifts a host capacity to 100,000 to mean "no limit").
- staff counts of a whole county (new hires of a subject, secondments, itinerant
  teachers): 1,000,000. The 10,000-school city of the benchmarks has 400,000 staff.
- schools of a county (helped schools per helper, alliances, an alliance's size): 100,000.
  The largest prefecture-level city has about 10,000 schools.
- km between two schools: 5,000. China is about 5,000 km across; no county is.
- minutes of travel between two schools, or a day's travel: 1,440 (a whole day).
- lessons a week of one teacher: 60 (a full-time load is 12 to 20; 60 is twelve a day).
- lessons a week of one subject a school cannot staff: 2,000 (a school of 100 classes
  teaches about 3,500 lessons a week in all subjects).
- years of service (at a school, rural, teaching, a policy's years): 70.
- age: 90 (staff retire at 55 to 65).
- a weight of the objective: 1,000,000,000. A weight multiplies counts of up to 10^6 in
  sums the solvers keep in 64 bits (about 9 x 10^18); the defaults are at most 10^6.
- an appraisal score (考核分): 1,000 either way (scores run 0 to 100 in most counties).
- a week of a semester: 53 (weeks are numbered within a year at most).
- outreach visits of one school or one teacher in a semester: 1,000 (a semester has some
  100 school days).
- periods a move may last: 100 (fifty years of semesters).
- m² of one school's teaching and auxiliary rooms or sports grounds: 10,000,000 (10 km²).
  A school of 30,000 students at twice the standards (5.8 and 10.2 m² a student) has some
  600,000 m²; a whole university campus is a few km².
- yuan of one school's teaching equipment: 10,000,000,000 (100亿元). A school of 30,000
  students at ten times the standard (2,500 yuan a student) holds 750 million yuan.
- multimedia classrooms of one school: 10,000. A school of 100,000 students at five per
  100 students (the standard is 2.3 to 2.4) has 5,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from twinning.errors import MessageError
from twinning.messages import msg


@dataclass(frozen=True)
class Limit:
    """The largest value a number of the county may take, and the message that says so.

    Used as the metadata of a field's type (``Annotated[int | None, STUDENTS]``): the
    field then refuses a boolean (``true`` is not a number) and any value above ``most``
    (below ``-most`` too when ``both_signs``), and its JSON Schema says ``maximum``.
    """

    most: int
    code: str
    both_signs: bool = False

    def check(self, value: Any) -> Any:
        """The value, or a :class:`~twinning.errors.MessageError` saying the bound."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and (value > self.most or (self.both_signs and value < -self.most)):
            raise MessageError(msg(self.code, limit=self.most))
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        inner = core_schema.no_info_after_validator_function(self.check, handler(source))
        return core_schema.no_info_before_validator_function(not_a_boolean, inner)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found["maximum"] = self.most
        if self.both_signs:
            found["minimum"] = -self.most
        return found


def not_a_boolean(value: Any) -> Any:
    """A number's value as given, unless it is a boolean (pydantic reads ``true`` as 1)."""
    if isinstance(value, bool):
        raise MessageError(msg("input.number.not_bool"))
    return value


STUDENTS = Limit(100_000, "input.limit.students")
SCHOOL_STAFF = Limit(100_000, "input.limit.school_staff")
COUNTY_STAFF = Limit(1_000_000, "input.limit.county_staff")
SCHOOLS = Limit(100_000, "input.limit.schools")
KM = Limit(5_000, "input.limit.km")
MINUTES = Limit(1_440, "input.limit.minutes")
TEACHER_LESSONS = Limit(60, "input.limit.teacher_lessons")
SCHOOL_LESSONS = Limit(2_000, "input.limit.school_lessons")
YEARS = Limit(70, "input.limit.years")
AGE = Limit(90, "input.limit.age")
WEIGHT = Limit(1_000_000_000, "input.limit.weight")
MERIT = Limit(1_000, "input.limit.merit", both_signs=True)
WEEK = Limit(53, "input.limit.week")
VISITS = Limit(1_000, "input.limit.visits")
PERIODS = Limit(100, "input.limit.periods")
AREA = Limit(10_000_000, "input.limit.area")
EQUIPMENT = Limit(10_000_000_000, "input.limit.equipment")
ROOMS = Limit(10_000, "input.limit.rooms")

#: Every bound, by name (for the tests and the documentation).
LIMITS: dict[str, Limit] = {
    "students": STUDENTS,
    "school_staff": SCHOOL_STAFF,
    "county_staff": COUNTY_STAFF,
    "schools": SCHOOLS,
    "km": KM,
    "minutes": MINUTES,
    "teacher_lessons": TEACHER_LESSONS,
    "school_lessons": SCHOOL_LESSONS,
    "years": YEARS,
    "age": AGE,
    "weight": WEIGHT,
    "merit": MERIT,
    "week": WEEK,
    "visits": VISITS,
    "periods": PERIODS,
    "area": AREA,
    "equipment": EQUIPMENT,
    "rooms": ROOMS,
}

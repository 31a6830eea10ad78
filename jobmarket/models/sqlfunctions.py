"""SQL expressions compiled per dialect, shared by the models and the statistics queries."""
from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class DaysBetween(FunctionElement):
    """later - earlier in days, as a float, on either database."""

    type = Float()
    inherit_cache = True
    name = "days_between"


@compiles(DaysBetween)
def _days_between_default(element, compiler, **kw):  # SQLite (and any other dialect with julianday)
    later, earlier = list(element.clauses)
    return f"(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}))"


@compiles(DaysBetween, "postgresql")
def _days_between_pg(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"CAST(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}))"
            f" AS DOUBLE PRECISION) / 86400.0")

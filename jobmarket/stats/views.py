"""The labour office's statistics pages (officers and administrators): dashboard, printable view, exports."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from ..authz import authorize
from ..models._common import utcnow
from . import exports
from .formatting import format_value
from .filters import AGE_LABELS, EDUCATION_LABELS, PERIOD_KINDS, SEX_LABELS, FilterError, parse_filters
from .reference import load_reference
from .service import build_page, today
from .suppression import suppress_areas, suppress_table
from .tables import TABLE_KEYS

bp = Blueprint("stats", __name__)
bp.add_app_template_global(format_value, "stats_fmt")


def _options(ref) -> dict:
    """The choices of the filter form."""
    return {"periods": PERIOD_KINDS, "sexes": SEX_LABELS, "ages": AGE_LABELS, "educations": EDUCATION_LABELS,
            "ref": ref}


def _load(template: str):
    """Authorise, parse the filters and compute the page, or show the form with the errors (400)."""
    authorize("stats.view")
    ref = load_reference()
    try:
        filters = parse_filters(request.args, ref, today())
    except FilterError as exc:
        return None, (render_template(template, page=None, errors=exc.errors, args=request.args,
                                      **_options(ref)), 400)
    return (build_page(filters, ref), ref), None


@bp.get("/can-bo/thong-ke")
def dashboard():
    """The statistics dashboard: filters (a GET form that works without JavaScript), figures, charts, tables."""
    loaded, error = _load("stats/dashboard.html")
    if error:
        return error
    page, ref = loaded
    return render_template("stats/dashboard.html", page=page, errors={}, args=request.args,
                           filters_text=page.filters.describe(ref), export_args=page.filters.query_args(),
                           **_options(ref))


@bp.get("/can-bo/thong-ke/ban-in")
def printable():
    """Every table and chart on one page laid out for printing (no form, no navigation)."""
    loaded, error = _load("stats/print.html")
    if error:
        return error
    page, ref = loaded
    return render_template("stats/print.html", page=page, errors={}, args=request.args,
                           filters_text=page.filters.describe(ref), generated=utcnow(), **_options(ref))


@bp.get("/can-bo/thong-ke/xuat/<name>.<fmt>")
def export(name: str, fmt: str):
    """One table (or every table: name "tat-ca", XLSX only) as CSV or XLSX, the filters written in the file.
    an-toan=1: the version safe to publish, with small cells suppressed."""
    if fmt not in ("csv", "xlsx") or (name not in TABLE_KEYS and name != "tat-ca") or (name == "tat-ca" and fmt != "xlsx"):
        abort(404)
    loaded, error = _load("stats/dashboard.html")
    if error:
        return error
    page, ref = loaded
    safe = request.args.get("an-toan") == "1"
    tables = dict(page.tables)
    if safe:
        tables = {k: suppress_table(t) for k, t in tables.items()}
        tables["phuong-xa"], tables["khu-vuc"] = suppress_areas(page.tables["phuong-xa"], page.tables["khu-vuc"])
    chosen = list(tables.values()) if name == "tat-ca" else [tables[name]]
    generated = utcnow()
    describe = page.filters.describe(ref)
    stem = f"thong-ke-{name}-{'-'.join(v for v in page.filters.query_args().values())}" + ("-an-toan" if safe else "")
    if fmt == "csv":
        body, mime = exports.to_csv(chosen[0], describe, generated), "text/csv; charset=utf-8"
    else:
        body, mime = exports.to_xlsx(chosen, describe, generated), exports.XLSX_MIME
    return Response(body, mimetype=mime, headers={
        "Content-Disposition": f'attachment; filename="{stem}.{fmt}"', "Cache-Control": "no-store"})

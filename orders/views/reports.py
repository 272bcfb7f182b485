"""The reports page and its CSV: the same selector and filters, so the file is the table."""

import csv

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from orders.forms.reports import GROUP_LABELS, ReportFilterForm
from orders.permissions import staff_required
from orders.selectors.report_chart import report_chart
from orders.selectors.reports import Report, business_today, reports
from orders.spreadsheet import amount_cell, inert

# Money figures are home's money: every role that sees orders sees them.
PERM = "orders.view_order"


def _read(request: HttpRequest) -> tuple[ReportFilterForm, dict, list[Report], Report | None]:
    form = ReportFilterForm(request.GET or None, today=business_today())
    chosen = form.choices()
    found = reports(chosen["start"], chosen["end"], chosen["group"])
    wanted = request.GET.get("currency")
    # The largest currency unless another one is asked for (they are never added up).
    report = next((r for r in found if r.currency == wanted), found[0] if found else None)
    return form, chosen, found, report


@staff_required(perm=PERM)
def reports_page(request: HttpRequest) -> HttpResponse:
    form, chosen, found, report = _read(request)
    context = {
        "form": form,
        "chosen": chosen,
        "group_label": GROUP_LABELS[chosen["group"]],
        "currencies": [r.currency for r in found],
        "report": report,
        "chart": report_chart(report) if report else None,
        "business_timezone": settings.TIME_ZONE,
    }
    return render(request, "orders/reports.html", context)


@staff_required(perm=PERM)
def reports_export(request: HttpRequest) -> HttpResponse:
    _form, chosen, _found, report = _read(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"report-{chosen['start']:%Y%m%d}-{chosen['end']:%Y%m%d}-{chosen['group']}"
    if report and report.currency:
        name += f"-{report.currency}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    for line in table_lines(report, str(GROUP_LABELS[chosen["group"]])):
        writer.writerow([inert(cell) for cell in line])
    return response


def table_lines(report: Report | None, group_label: str) -> list[list]:
    """The table as the page draws it: a header, a row per group, the total."""
    header: list[object] = [group_label, _("Currency"), _("Orders"), _("Spend"), _("Refunds")]
    header += [_("Net cost"), _("Sales"), _("Profit"), _("Margin %")]
    if report is None:
        return [header]
    lines = [header]
    for label, figures in [*((row.label, row) for row in report.rows), (_("Total"), report.total)]:
        money = [figures.spend, figures.refunds, figures.net_cost, figures.sales, figures.profit]
        margin = "–" if figures.margin is None else str(figures.margin)
        lines.append([label, report.currency, figures.orders, *map(amount_cell, money), margin])
    return lines


urlpatterns = [
    path("reports/", reports_page, name="reports"),
    path("reports/export.csv", reports_export, name="reports_export"),
]

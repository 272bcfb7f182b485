"""The reports page's filters: a period (a preset or two dates), a grouping and a currency."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.selectors.reports import GROUPS

PERIODS = (
    ("today", _("Today")),
    ("7d", _("Last 7 days")),
    ("30d", _("Last 30 days")),
    ("month", _("This month")),
    ("last_month", _("Last month")),
    ("year", _("This year")),
    ("custom", _("Dates below")),
)
DEFAULT_PERIOD = "30d"
GROUP_LABELS = dict(
    zip(
        GROUPS,
        (_("Day"), _("Week"), _("Month"), _("Service"), _("Provider"), _("Order type")),
        strict=True,
    )
)
LONGEST = timedelta(days=3 * 366)  # a day per row: three years is already a long table


class DateInput(forms.DateInput):
    input_type = "date"


def preset_range(period: str, today: date) -> tuple[date, date]:
    """The days a preset covers, today included."""
    if period == "today":
        return today, today
    if period == "7d":
        return today - timedelta(days=6), today
    if period == "month":
        return today.replace(day=1), today
    if period == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if period == "year":
        return today.replace(month=1, day=1), today
    return today - timedelta(days=29), today


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    group = forms.ChoiceField(label=_("Group by"), choices=GROUP_LABELS.items(), required=False)
    currency = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)

    def __init__(self, data=None, *, today: date):
        if data is not None and not data.get("period"):
            # Shown as what is in force: dates alone are a custom period, nothing the default.
            data = data.copy()
            data["period"] = "custom" if data.get("start") or data.get("end") else DEFAULT_PERIOD
        super().__init__(data)
        self.today = today
        self.fields["period"].initial = DEFAULT_PERIOD

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        period = data.get("period") or DEFAULT_PERIOD
        if period == "custom":
            start, end = start or end or self.today, end or start or self.today
            if start > end:
                raise forms.ValidationError(_("The first day comes after the last."))
            if end - start > LONGEST:
                raise forms.ValidationError(_("Choose at most three years."))
        else:
            start, end = preset_range(period, self.today)
        return data | {
            "period": period,
            "start": start,
            "end": end,
            "group": data.get("group") or "day",
        }

    def choices(self) -> dict:
        """The filters in force: the submitted ones when valid, else the defaults."""
        if self.is_valid():
            return self.cleaned_data
        start, end = preset_range(DEFAULT_PERIOD, self.today)
        return {"period": DEFAULT_PERIOD, "start": start, "end": end, "group": "day"}

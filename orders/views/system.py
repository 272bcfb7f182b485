"""System: periodic jobs, heartbeats, queue depth and the API call log."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from orders.models import Provider
from orders.permissions import staff_required
from orders.selectors import system as read


class CallFilterForm(forms.Form):
    provider = forms.ModelChoiceField(
        Provider.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All providers"),
        label=gettext_lazy("Provider"),
    )
    action = forms.ChoiceField(
        choices=[("", gettext_lazy("Any")), *((a, a) for a in read.ACTIONS)],
        required=False,
        label=gettext_lazy("Action"),
    )
    outcome = forms.ChoiceField(
        choices=[("", gettext_lazy("Any")), *((o, o) for o in read.OUTCOMES)],
        required=False,
        label=gettext_lazy("Outcome"),
    )
    day = forms.DateField(
        required=False,
        label=gettext_lazy("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def filters(self) -> read.CallFilter:
        """The valid filters; an invalid one is shown with its error and otherwise ignored."""
        self.is_valid()
        data = self.cleaned_data
        return read.CallFilter(
            provider=data.get("provider"),
            action=data.get("action", ""),
            outcome=data.get("outcome", ""),
            day=data.get("day"),
        )


@staff_required(perm="orders.view_apicall")
@require_GET
def system(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    jobs = read.job_statuses(now)
    form = CallFilterForm(request.GET)
    page = read.api_call_page(form.filters(), request.GET.get("after", ""))
    context = {
        "jobs": jobs,
        "heartbeat": read.heartbeat_of(jobs.heartbeat, now),
        "stale_after": int(read.HEARTBEAT_STALE.total_seconds()),
        "queue": read.queue_depth(),
        "form": form,
        "page": page,
        "paged": bool(request.GET.get("after")),
    }
    return render(request, "orders/system/system.html", context)


urlpatterns = [path("system/", system, name="system")]

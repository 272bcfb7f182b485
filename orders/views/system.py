"""System: periodic jobs, heartbeats, queue depth and the API call log."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from orders.forms.system import CallFilterForm
from orders.permissions import staff_required
from orders.selectors import system as read


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

from django.shortcuts import render
from django.urls import path

from orders.models import AuditEntry
from orders.permissions import staff_required

PAGE = 50


@staff_required(perm="orders.view_auditentry")
def audit_log(request):
    """The audit trail, newest first, 50 a page, older pages by id (no full count)."""
    entries = AuditEntry.objects.select_related("actor")
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    before = request.GET.get("before", "")
    if before.isdigit():
        entries = entries.filter(pk__lt=int(before))
    page = list(entries.order_by("-pk")[: PAGE + 1])
    context = {
        "entries": page[:PAGE],
        "older": page[PAGE - 1].pk if len(page) > PAGE else None,
        "action": action,
        "actions": AuditEntry.objects.values_list("action", flat=True).distinct().order_by(),
    }
    return render(request, "orders/audit/list.html", context)


urlpatterns = [path("audit/", audit_log, name="audit_log")]

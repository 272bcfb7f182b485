from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from orders.permissions import staff_required
from orders.selectors import home as read


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """Balances, active orders, money, the 30-day chart and what needs a person."""
    sees_orders = request.user.has_perm("orders.view_order")
    sees_providers = request.user.has_perm("orders.view_provider")
    providers = read.provider_balances() if sees_orders or sees_providers else []
    context: dict = {
        "sees_orders": sees_orders,
        "sees_providers": sees_providers,
        "providers": providers if sees_providers else [],
        "stuck_hours": int(read.STUCK_AFTER.total_seconds() // 3600),
    }
    if sees_orders:
        money = read.ledger_days()
        series = read.daily_series(money=money)
        currencies = list(read.spend_by_day(series))
        chosen = request.GET.get("currency", "")
        currency = chosen if chosen in currencies else (currencies[0] if currencies else "")
        context |= {
            "counts": read.order_counts_active(),
            "totals": read.money_totals(money=money),
            "series": series,
            "currencies": currencies,
            "chart": read.chart_geometry(series, currency),
            "problems": read.problems_needing_a_person(providers if sees_providers else []),
        }
    return render(request, "orders/home.html", context)


urlpatterns = [path("", home, name="home")]

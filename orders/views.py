from django.shortcuts import render

from orders.permissions import staff_required


@staff_required
def home(request):
    return render(request, "orders/home.html")

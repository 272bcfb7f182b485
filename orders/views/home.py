from django.shortcuts import render
from django.urls import path

from orders.permissions import staff_required


@staff_required
def home(request):
    return render(request, "orders/home.html")


urlpatterns = [path("", home, name="home")]

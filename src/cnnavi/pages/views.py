from django.shortcuts import render

from cnnavi.common.navigation import MENUS


def home(request):
    return render(request, "pages/home.html", {"menus": [(m, m.url()) for m in MENUS]})

from django.http import HttpResponse


def publishing(request):
    return HttpResponse("")

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def idtoken_expire(request):
    """Test control: how many seconds the id tokens issued from now on live (a
    negative number issues tokens that have already expired)."""
    settings.OIDC_IDTOKEN_EXPIRE = int(request.POST["seconds"])
    return HttpResponse("ok")


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("_test/idtoken-expire/", idtoken_expire),
    path("", include("oidc_provider.urls", namespace="oidc_provider")),
]

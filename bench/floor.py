"""Django's floor for ``make load``: one view that answers a small JSON object, with no
middleware, database or templates, served by the same gunicorn settings as the site.
No view of the site can answer faster than this: the difference is the site's own work.
"""

import os

import django
from django.conf import settings
from django.http import JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "floor-only"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def index(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("", index)]

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

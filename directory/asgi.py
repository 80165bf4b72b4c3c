"""
ASGI config for directory project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/
"""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")

application = get_asgi_application()

# Serving without a signing key would fail at the first session or form: Django raises
# ImproperlyConfigured here instead, at start-up.
settings.SECRET_KEY  # noqa: B018

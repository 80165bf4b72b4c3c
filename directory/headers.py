"""Security headers for the responses WhiteNoise serves before Django's middleware runs.

Imported by settings (``WHITENOISE_ADD_HEADERS_FUNCTION``), so it reads settings only when called.
"""

from django.conf import settings

# A stylesheet or script needs no policy of its own to work; this one forbids a static file
# opened directly (an SVG, say) from loading or framing anything.
STATIC_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'"


def static_security_headers(headers, path: str, url: str) -> None:
    """The headers every page gets from Django's security middleware, for one static file."""
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Content-Security-Policy"] = STATIC_POLICY
    if settings.SECURE_HSTS_SECONDS:
        headers["Strict-Transport-Security"] = f"max-age={settings.SECURE_HSTS_SECONDS}"

"""The read/write API for other systems (issue 18), at ``/api/v1/``.

Built with django-ninja rather than Django REST framework + drf-spectacular: the API
is a handful of read lists and one write, and ninja gives typed request/response
schemas (pydantic) from which the OpenAPI description is generated and served by the
app itself (``/api/v1/openapi.json``) with no second library to keep in step; it is
function-based like the rest of LedMot's views, and serialising 1,000 rows through
pydantic is cheaper than DRF's serializers (the ``api_results`` bench case).

Systems authenticate with a per-system token (``Authorization: Bearer lm_…``) that an
administrator creates in the Django admin. A token acts as its *system user*, an
ordinary user whose roles are given in /administration/ like anyone's, so the API
asks the same access module as the screens (``ledmot.access``, ``goals`` querysets,
``followup.access``); the token's scope only narrows it (read, or read + results).
Without a token the reads answer what the public portal shows, with the fields it
shows (``portal.publication``, the one place that decides what is public), and
nothing while the portal is switched off; the write always needs a token.
"""

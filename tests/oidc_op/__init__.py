"""A small OpenID Connect provider (django-oidc-provider) for the sign-in tests.

It is its own Django project, started by ``tests/ledmot/test_oidc.py`` as a
subprocess on a free port of 127.0.0.1 (``python -m tests.oidc_op.serve``), so LedMot
talks to a real provider over HTTP: discovery, authorization with the provider's own
sign-in form, the token endpoint, signed id tokens, JWKS, userinfo and end-session.
Nothing in LedMot imports it.
"""

"""Builders per app: each reads the demo's content (:class:`demo.content.Content`, the
files in ``demo/data/`` as they read on the day the demo is built) and writes through
that app's models and services."""

# The random seed of the demo: the same content and the same day give the same data.
SEED = 20230101

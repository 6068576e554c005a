"""The demo municipality Åsbacka kommun and the scale data, on top of every app.

Nothing imports ``demo``: it depends on ``ledmot``, ``goals``, ``followup`` and
``priorities`` and writes through their services. Its content is in ``demo/data/``
(TOML files someone who is not a programmer can edit), the builders per app in
``demo/builders/``, the generated municipality for benchmarks in ``demo/scale.py`` and
the commands ``seed_demo`` and ``seed_scale`` in ``demo/management/commands/``.
"""

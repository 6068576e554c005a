"""Priority screens, one module per screen: rounds, the worksheet, fact sheets, the
political overview, decisions and the PDF documents (see priorities/urls.py)."""

# tests/priorities/test_demo.py reads the overview's read model from here.
from priorities.overview import overview_data  # noqa: F401

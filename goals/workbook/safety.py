"""What an uploaded workbook must pass before openpyxl opens it: moved to
:mod:`ledmot.lib.workbook_safety`, where every import of a workbook (this app's, and the
bulk roles of ``ledmot.orgadmin``) finds it. The names stay importable from here."""

from ledmot.lib.workbook_safety import (  # noqa: F401 - re-exported
    DEFAULTS,
    ENTITY_MESSAGE,
    UnsafeWorkbook,
    check_name,
    check_upload,
    check_zip,
    estimate_rows,
    is_xml_attack,
    limit,
)

"""manage.py check_report_files: every kept report PDF is on disk and unchanged."""

import hashlib
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import TestCase

from followup.models import GeneratedReport
from ledmot.models import JobStatus
from tests.conftest import build_world
from tests.followup.helpers import open_round

PDF = b"%PDF-1.7\n% rapporten som fullmaktige fick\n"


class CheckReportFilesTests(TestCase):
    def setUp(self):
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.enterContext(self.settings(MEDIA_ROOT=media))
        w = build_world()
        rnd = open_round(w)
        self.report = GeneratedReport.objects.create(
            round=rnd,
            title="Tertialrapport 2025",
            created_by=w.controller,
            status=JobStatus.DONE,
            sha256=hashlib.sha256(PDF).hexdigest(),
        )
        self.report.file.save("tertialrapport.pdf", ContentFile(PDF))
        # A failed job has no file and is not a problem.
        GeneratedReport.objects.create(round=rnd, title="Misslyckad", status=JobStatus.FAILED)
        self.path = Path(self.report.file.path)

    def run_command(self):
        out = io.StringIO()
        call_command("check_report_files", stdout=out)
        return out.getvalue()

    def test_unchanged_files_pass(self):
        self.assertIn("1 rapportfiler finns och stämmer", self.run_command())

    def test_a_changed_file_is_named(self):
        self.path.write_bytes(PDF + b"tillagt")
        with pytest.raises(CommandError, match="ändrad: rapporter/.*tertialrapport.pdf"):
            self.run_command()

    def test_a_missing_file_is_named(self):
        self.path.unlink()
        with pytest.raises(CommandError, match="saknas: rapporter/.*Tertialrapport 2025"):
            self.run_command()

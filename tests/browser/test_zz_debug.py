import pytest
from django.test import TransactionTestCase

orig = TransactionTestCase._fixture_setup.__func__
@classmethod
def patched(cls):
    print("FIXTURE_SETUP", cls.serialized_rollback, cls.available_apps)
    return orig(cls)
TransactionTestCase._fixture_setup = patched

@pytest.mark.parametrize("i", [1, 2])
def test_dbg(i, request, transactional_db, live_server):
    print(i, request.fixturenames)

"""Project-wide pytest set-up: pytester for testing the plugin, and no real credentials in tests."""

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    # tests must never reach a real account, whatever the machine has configured
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAMOCKEKSTESTING00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "mock-eks-secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("MOCK_EKS_ACCOUNT_ID", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

"""One URL pattern per action: the table, its responses registrations, the catch-all, coexistence."""

from __future__ import annotations

import re

import botocore.session
import pytest
import requests
import responses

import mock_eks
from mock_eks import intercept
from mock_eks.cli import main as cli

HOST = "https://eks.us-east-1.amazonaws.com"
AUTH_HOST = "https://eks-auth.us-east-1.api.aws"


def _models() -> dict[str, object]:
    session = botocore.session.get_session()
    return {service: session.get_service_model(service) for service in ("eks", "eks-auth")}


def _own_uri(request_uri: str) -> str:
    """The operation's URI with every label filled in (an ARN label percent-encoded, as botocore sends it)."""
    path = request_uri.split("?", 1)[0]
    return re.sub(r"\{[^}]+\}", "arn%3Aaws%3Aeks%3Aus-east-1%3A123456789012%3Acluster%2Fx", path)


def test_one_pattern_per_operation_of_the_installed_models():
    rows = mock_eks.url_patterns()
    expected = {(service, name) for service, model in _models().items() for name in model.operation_names}
    assert sorted((row.service, row.operation) for row in rows) == sorted(expected)
    assert len(rows) == len(expected)


def test_each_pattern_matches_its_own_uri_and_method():
    models = _models()
    for method, pattern, service, operation in mock_eks.url_patterns():
        http = models[service].operation_model(operation).http
        assert method == http["method"], operation
        assert re.match(pattern, _own_uri(http["requestUri"])), (operation, pattern)


def test_labels_are_named_groups():
    row = next(row for row in mock_eks.url_patterns() if row.operation == "DescribeNodegroup")
    match = re.match(row.pattern, "/clusters/prod/node-groups/ng-1")
    assert match is not None and match.groupdict() == {"name": "prod", "nodegroupName": "ng-1"}


def test_mock_eks_routes_prints_the_table(capsys):
    assert cli(["routes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = mock_eks.url_patterns()
    assert lines[0].startswith("# hosts")
    assert len(lines) == len(rows) + 1
    for line, row in zip(lines[1:], rows, strict=True):
        assert line.split() == [row.method, row.pattern, row.service, row.operation]


def test_responses_holds_one_callback_per_action_and_each_answers_its_action(eks_mock):
    rows = mock_eks.url_patterns()
    registered = intercept.registered_responses()
    assert len(registered) == len(rows) + 1 + len(intercept.ALSO_CATCH)  # + the catch-all(s)
    models = _models()
    for method, _, service, operation in rows:
        host = HOST if service == "eks" else AUTH_HOST
        response = requests.request(
            method, host + _own_uri(models[service].operation_model(operation).http["requestUri"])
        )
        assert response.headers.get("x-amzn-ErrorType", "") != "UnknownOperationException", operation
    per_action = registered[: len(rows)]
    assert all(registration.call_count == 1 for registration in per_action)
    assert registered[len(rows)].call_count == 0  # the catch-all answered nothing


def test_nothing_is_registered_while_inactive():
    assert intercept.registered_responses() == []


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", f"{HOST}/no-such-route"),
        ("DELETE", f"{HOST}/clusters"),
        ("OPTIONS", f"{HOST}/clusters/x"),
        ("POST", f"{AUTH_HOST}/clusters/x/nothing-here"),
    ],
)
def test_catch_all_answers_unknown_routes_with_the_mocks_json_error(eks_mock, method, url):
    response = requests.request(method, url)
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"].startswith("UnknownOperationException")
    assert "No operation matches" in response.json()["message"]


def _user_mock() -> responses.RequestsMock:
    user = responses.RequestsMock(assert_all_requests_are_fired=False)
    user.add(responses.GET, "https://example.com/mine", json={"mine": True})
    return user


def _check_both(user: responses.RequestsMock) -> None:
    assert requests.get("https://example.com/mine").json() == {"mine": True}
    assert requests.get(f"{HOST}/clusters").json() == {"clusters": []}
    # mock_eks never saw the user's URL, the user's mock never saw EKS
    assert [call.request.url for call in user.calls] == ["https://example.com/mine"]


@pytest.mark.parametrize(
    "order", ["user-first", "mock-eks-first", "user-first-stops-first", "eks-first-stops-first"]
)
def test_a_users_requests_mock_keeps_working_beside_mock_eks(order):
    user = _user_mock()
    eks = mock_eks.MockEKS()
    first, second = (user, eks) if order.startswith("user") else (eks, user)
    first.start()
    second.start()
    _check_both(user)
    if order.endswith("stops-first"):
        first.stop()
        second.stop()
    else:
        second.stop()
        first.stop()
    # the user's registrations are theirs, untouched; everything mock_eks changed is back
    assert [r.url for r in user.registered()] == ["https://example.com/mine"]
    assert intercept.registered_responses() == []
    with user:
        assert requests.get("https://example.com/mine").json() == {"mine": True}


@responses.activate
def test_responses_activate_beside_mock_eks():
    responses.add(responses.GET, "https://example.com/default", body="default mock")
    with mock_eks.mock_eks():
        assert requests.get("https://example.com/default").text == "default mock"
        assert requests.get(f"{HOST}/clusters").json() == {"clusters": []}
    assert len(responses.registered()) == 1

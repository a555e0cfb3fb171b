"""The pytest plugin, run in a fresh pytest session through pytester."""

from __future__ import annotations


def test_fixtures_are_registered_and_isolated(pytester):
    pytester.makepyfile(
        """
        def test_client_creates(eks_client):
            eks_client.create_cluster(
                name="p", roleArn="arn:aws:iam::123456789012:role/r",
                resourcesVpcConfig={"subnetIds": ["subnet-a", "subnet-b"]},
            )
            assert eks_client.list_clusters()["clusters"] == ["p"]

        def test_next_test_starts_empty(eks_client):
            assert eks_client.list_clusters()["clusters"] == []

        def test_mock_fixture(eks_mock, eks_auth_client):
            assert eks_mock.backend is not None
            assert eks_auth_client.meta.service_model.service_name == "eks-auth"
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_the_mock_eks_marker_sets_the_fixtures_timing(pytester):
    pytester.makepyfile(
        """
        import pytest

        def _create(client):
            client.create_cluster(
                name="p", roleArn="arn:aws:iam::123456789012:role/r",
                resourcesVpcConfig={"subnetIds": ["subnet-a", "subnet-b"]},
            )
            return client.describe_cluster(name="p")["cluster"]["status"]

        @pytest.mark.mock_eks(timing="realistic", durations={"cluster.create": 30})
        def test_realistic(eks_mock, eks_client):
            assert _create(eks_client) == "CREATING"
            eks_mock.advance(30)
            assert eks_client.describe_cluster(name="p")["cluster"]["status"] == "ACTIVE"

        def test_instant_without_the_marker(eks_client):
            assert _create(eks_client) == "ACTIVE"

        @pytest.mark.mock_eks(timing="realistic")
        class TestClass:
            def test_class_marker(self, eks_client):
                assert _create(eks_client) == "CREATING"

            @pytest.mark.mock_eks(timing="instant")
            def test_closest_marker_wins(self, eks_client):
                assert _create(eks_client) == "ACTIVE"
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=4)

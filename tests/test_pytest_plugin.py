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

"""Nodes, pods and workloads of a mocked cluster, through the official ``kubernetes`` client in-process.

Nodes are the managed node groups' instances (Amazon EKS User Guide, "Managed node groups": desiredSize
nodes, the labels EKS sets such as ``eks.amazonaws.com/nodegroup`` and ``eks.amazonaws.com/capacityType``);
pods are scheduled as kube-scheduler does (taints, nodeSelector; FitError wording); Fargate pods run on
their own ``fargate-`` nodes ("Fargate pod configuration"); Deployments report rollout status as the
Deployment controller does (``kubectl rollout status`` reads observedGeneration, updated/available replicas).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mock_eks import mock_eks
from tests.helpers import SUBNETS, create_cluster, create_fargate_profile, create_nodegroup, kube_client

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, watch  # noqa: E402
from kubernetes.client.exceptions import ApiException  # noqa: E402


def deployment(name: str, replicas: int = 2, image: str = "nginx:1.27") -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": name, "image": image}]},
            },
        },
    }


def nodegroup(eks: Any, name: str = "ng", size: int = 2, **more: Any) -> None:
    """A node group of ``size`` nodes in the cluster "demo"."""
    create_nodegroup(eks, name, scalingConfig={"minSize": 0, "maxSize": 10, "desiredSize": size}, **more)


def test_nodes_are_the_node_groups_and_follow_scaling_and_deletion() -> None:
    from freezegun import freeze_time

    with mock_eks(timing="realistic") as m, freeze_time("2026-03-01") as clock:
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks)
        clock.tick(1200)
        nodegroup(eks, labels={"team": "web"}, capacityType="SPOT", instanceTypes=["m5.large"])
        core = client.CoreV1Api(kube_client(m))
        assert core.list_node().items == []  # CREATING: no instance has joined yet
        clock.tick(1200)
        core = client.CoreV1Api(kube_client(m))  # a fresh token: the last one is past its 15 minutes
        nodes = core.list_node().items
        assert len(nodes) == 2
        node = nodes[0]
        assert node.metadata.name.startswith("ip-") and node.metadata.name.endswith(".ec2.internal")
        labels = node.metadata.labels
        assert labels["eks.amazonaws.com/nodegroup"] == "ng" and labels["team"] == "web"
        assert labels["eks.amazonaws.com/capacityType"] == "SPOT"
        assert labels["node.kubernetes.io/instance-type"] == "m5.large"
        assert labels["topology.kubernetes.io/region"] == "us-east-1"
        release = eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")["nodegroup"][
            "releaseVersion"
        ]
        assert node.status.node_info.kubelet_version.startswith("v" + release.split("-")[0])
        assert {c.type: c.status for c in node.status.conditions}["Ready"] == "True"
        eks.update_nodegroup_config(
            clusterName="demo",
            nodegroupName="ng",
            scalingConfig={"desiredSize": 4, "minSize": 0, "maxSize": 10},
        )
        core = client.CoreV1Api(kube_client(m))
        assert len(core.list_node().items) == 2  # the update is in progress
        clock.tick(1200)
        core = client.CoreV1Api(kube_client(m))
        assert len(core.list_node().items) == 4
        arn = eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")["nodegroup"]["nodegroupArn"]
        m.faults.degrade(arn, "AsgInstanceLaunchFailures")
        core = client.CoreV1Api(kube_client(m))
        ready = {c.type: c.status for c in core.list_node().items[0].status.conditions}["Ready"]
        assert ready == "False"
        m.faults.recover(arn)
        eks.delete_nodegroup(clusterName="demo", nodegroupName="ng")
        clock.tick(1200)
        assert client.CoreV1Api(kube_client(m)).list_node().items == []


def test_nodes_outside_us_east_1_are_named_in_the_region(eks_mock: Any) -> None:
    eks = boto3.client("eks", region_name="eu-west-1")
    create_cluster(eks)
    nodegroup(eks, size=1)
    (node,) = client.CoreV1Api(kube_client(eks_mock)).list_node().items
    assert node.metadata.name.endswith(".eu-west-1.compute.internal")


def test_add_ons_run_their_workloads_in_kube_system(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    nodegroup(eks_client, size=3)
    api = kube_client(eks_mock)
    apps = client.AppsV1Api(api)
    daemonsets = {d.metadata.name: d for d in apps.list_namespaced_daemon_set("kube-system").items}
    assert {"aws-node", "kube-proxy"} <= set(daemonsets)
    assert daemonsets["aws-node"].status.number_ready == 3
    assert apps.read_namespaced_deployment("coredns", "kube-system").status.ready_replicas == 2
    pods = client.CoreV1Api(api).list_namespaced_pod("kube-system", label_selector="k8s-app=aws-node").items
    assert len({p.spec.node_name for p in pods}) == 3


def test_a_deployment_rolls_out_and_a_new_template_makes_a_new_replica_set(
    eks_mock: Any, eks_client: Any
) -> None:
    create_cluster(eks_client)
    nodegroup(eks_client)
    api = kube_client(eks_mock)
    apps, core = client.AppsV1Api(api), client.CoreV1Api(api)
    apps.create_namespaced_deployment("default", deployment("web", 3))
    status = apps.read_namespaced_deployment_status("web", "default").status
    assert (status.observed_generation, status.updated_replicas, status.available_replicas) == (1, 3, 3)
    assert {c.type: c.reason for c in status.conditions}["Progressing"] == "NewReplicaSetAvailable"
    pods = core.list_namespaced_pod("default", label_selector="app=web").items
    assert len(pods) == 3 and all(p.status.phase == "Running" and p.spec.node_name for p in pods)
    apps.patch_namespaced_deployment(
        "web",
        "default",
        {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}},
    )
    updated = apps.read_namespaced_deployment("web", "default")
    assert updated.metadata.generation == 2 and updated.status.observed_generation == 2
    assert updated.spec.template.spec.containers[0].image == "nginx:1.28"
    sets = apps.list_namespaced_replica_set("default").items
    assert sorted(s.spec.replicas for s in sets) == [0, 3]
    images = {
        p.spec.containers[0].image
        for p in core.list_namespaced_pod("default", label_selector="app=web").items
    }
    assert images == {"nginx:1.28"}
    apps.delete_namespaced_deployment("web", "default")
    assert core.list_namespaced_pod("default").items == []


def test_apply_twice_create_then_patch(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    core = client.CoreV1Api(kube_client(eks_mock))
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"a": "1"}}
    created = core.create_namespaced_config_map("default", manifest)
    with pytest.raises(ApiException) as caught:
        core.create_namespaced_config_map("default", manifest)
    assert caught.value.status == 409
    assert json.loads(caught.value.body)["message"] == 'configmaps "settings" already exists'
    patched = core.patch_namespaced_config_map("settings", "default", {"data": {"b": "2"}})
    assert patched.data == {"a": "1", "b": "2"}
    assert int(patched.metadata.resource_version) > int(created.metadata.resource_version)
    assert patched.metadata.uid == created.metadata.uid
    stale = dict(
        manifest, metadata={"name": "settings", "resourceVersion": created.metadata.resource_version}
    )
    with pytest.raises(ApiException) as caught:
        core.replace_namespaced_config_map("settings", "default", stale)
    assert caught.value.status == 409 and json.loads(caught.value.body)["reason"] == "Conflict"
    with pytest.raises(ApiException) as caught:
        core.read_namespaced_config_map("missing", "default")
    assert caught.value.status == 404
    assert json.loads(caught.value.body)["message"] == 'configmaps "missing" not found'


def test_a_pod_on_a_tainted_only_cluster_stays_pending(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    nodegroup(eks_client, taints=[{"key": "dedicated", "value": "gpu", "effect": "NO_SCHEDULE"}])
    core = client.CoreV1Api(kube_client(eks_mock))
    pod = {"metadata": {"name": "plain"}, "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}}
    core.create_namespaced_pod("default", pod)
    found = core.read_namespaced_pod("plain", "default")
    assert found.status.phase == "Pending" and found.spec.node_name is None
    (condition,) = found.status.conditions
    assert (condition.type, condition.status, condition.reason) == ("PodScheduled", "False", "Unschedulable")
    assert condition.message.startswith(
        "0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}."
    )
    (event,) = core.list_namespaced_event("default", field_selector="involvedObject.name=plain").items
    assert (event.type, event.reason, event.message) == ("Warning", "FailedScheduling", condition.message)
    tolerant = {
        "metadata": {"name": "tolerant"},
        "spec": {
            "containers": [{"name": "c", "image": "busybox:1.36"}],
            "tolerations": [
                {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}
            ],
        },
    }
    assert core.create_namespaced_pod("default", tolerant).status.phase == "Running"
    events = core.list_namespaced_event("default", field_selector="involvedObject.name=tolerant").items
    assert [e.reason for e in events] == ["Scheduled"]
    assert events[0].message.startswith("Successfully assigned default/tolerant to ip-")


def test_a_fargate_pod_runs_on_its_own_node(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    create_fargate_profile(eks_client, "serverless", subnets=SUBNETS, selectors=[{"namespace": "serverless"}])
    core = client.CoreV1Api(kube_client(eks_mock))
    core.create_namespace({"metadata": {"name": "serverless"}})
    pod = core.create_namespaced_pod(
        "serverless",
        {"metadata": {"name": "job"}, "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}},
    )
    assert pod.status.phase == "Running" and pod.spec.node_name.startswith("fargate-ip-")
    node = core.read_node(pod.spec.node_name)
    assert node.metadata.labels["eks.amazonaws.com/compute-type"] == "fargate"
    core.delete_namespaced_pod("job", "serverless")
    assert [n.metadata.name for n in core.list_node().items] == []


def test_watch_streams_changes_from_a_resource_version(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    core = client.CoreV1Api(kube_client(eks_mock))
    start = core.list_namespaced_config_map("default").metadata.resource_version
    core.create_namespaced_config_map("default", {"metadata": {"name": "one"}, "data": {"k": "v"}})
    core.patch_namespaced_config_map("one", "default", {"data": {"k": "w"}})
    core.delete_namespaced_config_map("one", "default")
    seen = []
    stream = watch.Watch()
    for event in stream.stream(
        core.list_namespaced_config_map, "default", resource_version=start, timeout_seconds=5
    ):
        seen.append((event["type"], event["object"].metadata.name))
        if len(seen) == 3:
            stream.stop()
    assert seen == [("ADDED", "one"), ("MODIFIED", "one"), ("DELETED", "one")]


def test_lists_page_with_limit_and_continue_and_select_labels(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    nodegroup(eks_client, size=5)
    core = client.CoreV1Api(kube_client(eks_mock))
    first = core.list_node(limit=2)
    second = core.list_node(limit=2, _continue=first.metadata._continue)
    third = core.list_node(limit=2, _continue=second.metadata._continue)
    names = [n.metadata.name for page in (first, second, third) for n in page.items]
    assert len(names) == 5 == len(set(names)) and third.metadata._continue is None
    assert len(core.list_node(label_selector="eks.amazonaws.com/nodegroup=ng").items) == 5
    assert core.list_node(label_selector="eks.amazonaws.com/nodegroup notin (ng)").items == []
    one = names[0]
    assert [n.metadata.name for n in core.list_node(field_selector=f"metadata.name={one}").items] == [one]


def test_kubernetes_objects_are_in_snapshots_and_go_with_the_cluster(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    core = client.CoreV1Api(kube_client(eks_mock))
    core.create_namespaced_secret("default", {"metadata": {"name": "token"}, "stringData": {"k": "v"}})
    saved = eks_mock.snapshot()
    core.delete_namespaced_secret("token", "default")
    eks_mock.restore(saved)
    core = client.CoreV1Api(kube_client(eks_mock))
    assert core.read_namespaced_secret("token", "default").data == {"k": "dg=="}
    eks_client.delete_cluster(name="demo")
    create_cluster(eks_client)
    with pytest.raises(ApiException) as caught:
        client.CoreV1Api(kube_client(eks_mock)).read_namespaced_secret("token", "default")
    assert caught.value.status == 404


def test_get_answers_tables_as_kubectl_asks(eks_mock: Any, eks_client: Any) -> None:
    import requests

    create_cluster(eks_client)
    nodegroup(eks_client, size=1)
    endpoint = eks_client.describe_cluster(name="demo")["cluster"]["endpoint"]
    token = eks_mock.kubeconfig("demo")["users"][0]["user"]["token"]
    answer = requests.get(
        f"{endpoint}/api/v1/nodes",
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
        },
        timeout=5,
    ).json()
    assert answer["kind"] == "Table"
    assert [c["name"] for c in answer["columnDefinitions"]] == ["Name", "Status", "Roles", "Age", "Version"]
    assert answer["rows"][0]["cells"][1] == "Ready"


def test_a_daemon_set_runs_on_the_nodes_its_selector_picks(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    nodegroup(eks_client, "general", size=2)
    nodegroup(eks_client, "gpu", size=1, labels={"accelerator": "nvidia"})
    apps = client.AppsV1Api(kube_client(eks_mock))
    apps.create_namespaced_daemon_set(
        "kube-system",
        {
            "metadata": {"name": "gpu-plugin"},
            "spec": {
                "selector": {"matchLabels": {"app": "gpu-plugin"}},
                "template": {
                    "metadata": {"labels": {"app": "gpu-plugin"}},
                    "spec": {
                        "nodeSelector": {"accelerator": "nvidia"},
                        "containers": [{"name": "p", "image": "plugin:1"}],
                    },
                },
            },
        },
    )
    status = apps.read_namespaced_daemon_set("gpu-plugin", "kube-system").status
    assert (status.desired_number_scheduled, status.number_ready) == (1, 1)


def test_with_moto_the_nodes_are_the_auto_scaling_groups_instances() -> None:
    """Linked to moto, a node group's nodes are the instances of its Auto Scaling group, by their EC2 private
    DNS names (the moto link makes the group in moto's Auto Scaling)."""
    moto = pytest.importorskip("moto")
    with moto.mock_aws(), mock_eks() as m:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")[
                "Subnet"
            ]["SubnetId"]
            for i, z in enumerate("ab")
        ]
        eks = boto3.client("eks", region_name="us-east-1")
        eks.create_cluster(
            name="demo",
            roleArn="arn:aws:iam::123456789012:role/eks",
            resourcesVpcConfig={"subnetIds": subnets},
        )
        create_nodegroup(
            eks, "ng", subnets=subnets, scalingConfig={"minSize": 0, "maxSize": 5, "desiredSize": 2}
        )
        eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")
        instances = [
            i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
            if i["State"]["Name"] == "running"
        ]  # fmt: skip
        names = sorted(n.metadata.name for n in client.CoreV1Api(kube_client(m)).list_node().items)
        assert names == sorted(i["PrivateDnsName"] for i in instances) and len(names) == 2


def test_a_stateful_set_names_its_pods_by_ordinal(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    nodegroup(eks_client)
    api = kube_client(eks_mock)
    apps, core = client.AppsV1Api(api), client.CoreV1Api(api)
    manifest = deployment("db", 3)
    manifest.update(kind="StatefulSet")
    manifest["spec"]["serviceName"] = "db"
    apps.create_namespaced_stateful_set("default", manifest)
    names = sorted(
        p.metadata.name for p in core.list_namespaced_pod("default", label_selector="app=db").items
    )
    assert names == ["db-0", "db-1", "db-2"]
    assert apps.read_namespaced_stateful_set("db", "default").status.ready_replicas == 3
    apps.patch_namespaced_stateful_set_scale("db", "default", {"spec": {"replicas": 1}})
    assert [p.metadata.name for p in core.list_namespaced_pod("default", label_selector="app=db").items] == [
        "db-0"
    ]
    assert core.read_namespaced_pod_log("db-0", "default") == ""


def test_a_watch_list_ends_its_initial_events_with_a_bookmark(eks_mock: Any, eks_client: Any) -> None:
    """client-go's watch-list (KEP-3157, used by ``kubectl rollout status``): ``sendInitialEvents=true``
    streams the current objects, then a BOOKMARK annotated ``k8s.io/initial-events-end``."""
    create_cluster(eks_client)
    api = kube_client(eks_mock)
    core = client.CoreV1Api(api)
    core.create_namespaced_config_map("default", {"metadata": {"name": "one"}})
    answer = core.list_namespaced_config_map(
        "default",
        watch=True,
        send_initial_events=True,
        allow_watch_bookmarks=True,
        resource_version_match="NotOlderThan",
        field_selector="metadata.name=one",
        timeout_seconds=1,
        _preload_content=False,
    )
    events = []
    for line in answer.stream():
        events += [json.loads(part) for part in line.splitlines() if part]
        if events and events[-1]["type"] == "BOOKMARK":
            break
    answer.release_conn()
    assert [e["type"] for e in events] == ["ADDED", "BOOKMARK"]
    assert events[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_reset_and_a_new_activation_start_with_fresh_kubernetes_objects() -> None:
    with mock_eks() as m:
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks)
        client.CoreV1Api(kube_client(m)).create_namespace({"metadata": {"name": "scratch"}})
        m.reset()
        create_cluster(eks)
        names = {n.metadata.name for n in client.CoreV1Api(kube_client(m)).list_namespace().items}
        assert names == {"default", "kube-system", "kube-public", "kube-node-lease"}


def test_a_node_group_version_update_moves_its_nodes_kubelet(eks_mock: Any, eks_client: Any) -> None:
    """UpdateNodegroupVersion rolls the group onto the cluster's new version (EKS User Guide, "Update a
    managed node group"): its nodes then report that version's kubelet."""
    import time

    from mock_eks.catalogue import versions

    first = next(v for v in versions.available_versions(time.time()) if versions.next_minor(v))
    target = versions.next_minor(first)
    create_cluster(eks_client, version=first)
    nodegroup(eks_client, size=1)
    eks_client.update_cluster_version(name="demo", version=target)
    eks_client.describe_cluster(name="demo")
    eks_client.update_nodegroup_version(clusterName="demo", nodegroupName="ng")
    eks_client.describe_nodegroup(clusterName="demo", nodegroupName="ng")
    (node,) = client.CoreV1Api(kube_client(eks_mock)).list_node().items
    assert node.status.node_info.kubelet_version.startswith(f"v{target}.")


def test_without_bootstrapped_add_ons_kube_system_runs_only_the_add_ons_created(
    eks_mock: Any, eks_client: Any
) -> None:
    """API Reference, CreateCluster ``bootstrapSelfManagedAddons``: "If you set this value to False when
    creating a cluster, the default networking add-ons will not be installed"; a managed add-on created
    afterwards (CreateAddon) runs its workload as usual."""
    create_cluster(eks_client, bootstrapSelfManagedAddons=False)
    nodegroup(eks_client, size=1)
    apps = client.AppsV1Api(kube_client(eks_mock))
    assert [d.metadata.name for d in apps.list_namespaced_daemon_set("kube-system").items] == []
    assert [d.metadata.name for d in apps.list_namespaced_deployment("kube-system").items] == []
    eks_client.create_addon(clusterName="demo", addonName="coredns")
    (coredns,) = apps.list_namespaced_deployment("kube-system").items
    assert coredns.metadata.name == "coredns"
    assert coredns.metadata.labels["app.kubernetes.io/managed-by"] == "EKS"
    assert apps.list_namespaced_daemon_set("kube-system").items == []
    create_cluster(eks_client, "bootstrapped")
    names = {d.metadata.name for d in apps.list_namespaced_daemon_set("kube-system").items}
    assert names == set()  # the other cluster's add-ons are its own
    other = client.AppsV1Api(kube_client(eks_mock, "bootstrapped"))
    assert {d.metadata.name for d in other.list_namespaced_daemon_set("kube-system").items} == {
        "aws-node",
        "kube-proxy",
    }

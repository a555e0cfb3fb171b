"""What the control plane and the nodes would do: the objects EKS makes, nodes from managed node groups,
add-on workloads, the scheduler, and the Deployment, ReplicaSet and DaemonSet controllers.

They run at the start of each Kubernetes request (under the backend lock, after due lifecycle transitions),
so everything follows the mock's clock and the EKS state as a request at that moment sees it. Each step
redoes only what changed: node groups by a fingerprint of what their nodes show, workloads when an object
changed since the last run (``KubeState.dirty``).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import ipaddress
import json
import re
from typing import Any

from mock_eks.kube import store
from mock_eks.kube.auth import catalogue
from mock_eks.moto_link import nodegroups as moto_nodegroups

NODES = "nodes"
PODS = "pods"
DEPLOYMENTS = "deployments.apps"
REPLICASETS = "replicasets.apps"
DAEMONSETS = "daemonsets.apps"
STATEFULSETS = "statefulsets.apps"
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
NODE_GROUP_SERVING = ("ACTIVE", "UPDATING", "DEGRADED")
# EKS taint effects (API) -> Kubernetes taint effects
EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}
# (vCPU, GiB, max pods) of common instance types (EC2 instance type facts; max pods from the EKS AMI's
# eni-max-pods.txt, awslabs/amazon-eks-ami templates/shared/runtime/eni-max-pods.txt)
INSTANCE_FACTS = {
    "t3.micro": (2, 1, 4),
    "t3.small": (2, 2, 11),
    "t3.medium": (2, 4, 17),
    "t3.large": (2, 8, 35),
    "t3.xlarge": (4, 16, 58),
    "m5.large": (2, 8, 29),
    "m5.xlarge": (4, 16, 58),
    "m5.2xlarge": (8, 32, 58),
    "m6i.large": (2, 8, 29),
    "m6i.xlarge": (4, 16, 58),
    "m7i.large": (2, 8, 29),
    "c5.large": (2, 4, 29),
    "c5.xlarge": (4, 8, 58),
    "r5.large": (2, 16, 29),
    "m6g.large": (2, 8, 29),
    "m7g.large": (2, 8, 29),
    "t4g.medium": (2, 4, 17),
    "g4dn.xlarge": (4, 16, 29),
    "p3.2xlarge": (8, 61, 58),
}
# The workloads EKS's default networking add-ons run (Amazon EKS User Guide, "Amazon VPC CNI", "kube-proxy",
# "CoreDNS"): bootstrapped self-managed unless CreateCluster's bootstrapSelfManagedAddons was False (API
# Reference, CreateCluster: "the default networking add-ons will not be installed"), or by the managed add-on
ADDON_WORKLOADS = {
    "vpc-cni": ("DaemonSet", "aws-node", "amazon-k8s-cni", "k8s-app"),
    "kube-proxy": ("DaemonSet", "kube-proxy", "kube-proxy", "k8s-app"),
    "coredns": ("Deployment", "coredns", "coredns", "k8s-app"),
    "eks-pod-identity-agent": (
        "DaemonSet",
        "eks-pod-identity-agent",
        "eks-pod-identity-agent",
        "app.kubernetes.io/name",
    ),
    "aws-ebs-csi-driver": ("Deployment", "ebs-csi-controller", "aws-ebs-csi-driver", "app"),
    "metrics-server": ("Deployment", "metrics-server", "metrics-server", "k8s-app"),
}
BOOTSTRAPPED = ("vpc-cni", "kube-proxy", "coredns")


def _digest(*parts: Any) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()


def _region(cluster: Any) -> str:
    return cluster.arn.split(":")[3]


def meta(name: str, namespace: str | None = None, **more: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name}
    if namespace:
        found["namespace"] = namespace
    found.update({k: v for k, v in more.items() if v is not None})
    return found


def _put_if_changed(state: store.KubeState, resource: str, obj: dict[str, Any], now: float) -> dict[str, Any]:
    """Store ``obj`` unless the stored one already says the same (apart from its resourceVersion)."""
    m = obj["metadata"]
    existing = store.get(state, resource, m.get("namespace"), m["name"])
    if existing is not None:
        for key in ("uid", "creationTimestamp"):
            if key in existing["metadata"]:
                m[key] = existing["metadata"][key]
        m["resourceVersion"] = existing["metadata"]["resourceVersion"]
        if existing == obj:
            return existing
    return store.put(state, resource, obj, now)


# -- bootstrap ---------------------------------------------------------------------------------------------


def ensure_state(backend: Any, cluster: Any) -> store.KubeState:
    state = store.state_of(cluster)
    if state is None:
        state = cluster.child("kube").add("state", store.KubeState())
        bootstrap(backend, cluster, state)
    reconcile(backend, cluster, state)
    return state


def ca_pem(cluster: Any) -> str:
    ca = cluster.certificate_authority
    return base64.b64decode(ca["data"]).decode() if ca else ""


def new_namespace_objects(state: store.KubeState, cluster: Any, namespace: str, now: float) -> None:
    """What the namespace controllers add to every namespace: its ``default`` ServiceAccount and the
    ``kube-root-ca.crt`` ConfigMap."""
    if store.get(state, "serviceaccounts", namespace, "default") is None:
        store.put(
            state,
            "serviceaccounts",
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("default", namespace)},
            now,
        )
    if store.get(state, "configmaps", namespace, "kube-root-ca.crt") is None:
        store.put(
            state,
            "configmaps",
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": meta(
                    "kube-root-ca.crt",
                    namespace,
                    annotations={
                        "kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."
                    },
                ),
                "data": {"ca.crt": ca_pem(cluster)},
            },
            now,
        )


def namespace_object(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": meta(name, labels={"kubernetes.io/metadata.name": name}),
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def bootstrap(backend: Any, cluster: Any, state: store.KubeState) -> None:
    now = cluster.created_at
    for name in SYSTEM_NAMESPACES:
        store.put(state, "namespaces", namespace_object(name), now)
        new_namespace_objects(state, cluster, name, now)
    for name, rules in catalogue()["clusterRoles"].items():
        store.put(
            state,
            "clusterroles.rbac.authorization.k8s.io",
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRole",
                "metadata": meta(
                    name,
                    labels={"kubernetes.io/bootstrapping": "rbac-defaults"},
                    annotations={"rbac.authorization.kubernetes.io/autoupdate": "true"},
                ),
                "rules": copy.deepcopy(rules),
            },
            now,
        )
    store.put(
        state,
        "clusterrolebindings.rbac.authorization.k8s.io",
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": meta(
                "cluster-admin",
                labels={"kubernetes.io/bootstrapping": "rbac-defaults"},
                annotations={"rbac.authorization.kubernetes.io/autoupdate": "true"},
            ),
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": "cluster-admin",
            },
            "subjects": [
                {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"}
            ],
        },
        now,
    )
    service_cidr = (cluster.kubernetes_network_config or {}).get("serviceIpv4Cidr") or "10.100.0.0/16"
    first = str(next(ipaddress.ip_network(service_cidr, strict=False).hosts()))
    store.put(
        state,
        "services",
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta(
                "kubernetes", "default", labels={"component": "apiserver", "provider": "kubernetes"}
            ),
            "spec": {
                "clusterIP": first,
                "clusterIPs": [first],
                "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 443}],
                "sessionAffinity": "None",
                "type": "ClusterIP",
            },
            "status": {"loadBalancer": {}},
        },
        now,
    )


# -- reconcile ---------------------------------------------------------------------------------------------


def reconcile(backend: Any, cluster: Any, state: store.KubeState) -> None:
    now = backend.now()
    changed = _sync_nodes(backend, cluster, state, now)
    changed = _sync_aws_auth(cluster, state, now) or changed
    changed = _sync_addons(cluster, state, now) or changed
    if changed:
        state.dirty = True
    # Deployment -> ReplicaSet -> Pods -> scheduling settle in a few passes
    reconcile_workloads(cluster, state, now)


def reconcile_workloads(cluster: Any, state: store.KubeState, now: float) -> None:
    """The workload controllers and the scheduler, after a write through the API."""
    for _ in range(4):
        if not state.dirty:
            return
        state.dirty = False
        _run_workload_controllers(cluster, state, now)
    state.dirty = False


# -- nodes -------------------------------------------------------------------------------------------------


def _node_name(cluster: Any, ip: str) -> str:
    region = _region(cluster)
    dashed = ip.replace(".", "-")
    return f"ip-{dashed}.ec2.internal" if region == "us-east-1" else f"ip-{dashed}.{region}.compute.internal"


def _node_ip(seed: str) -> str:
    number = int(_digest(seed)[:8], 16)
    return f"192.168.{(number >> 8) % 256}.{number % 254 + 1}"


def _kubelet_version(group: Any) -> str:
    from mock_eks.catalogue import versions

    release = group.release_version or ""
    found = re.match(r"^(\d+\.\d+\.\d+)", release)
    entry = versions.get(group.version)
    patch = found.group(1) if found else (entry.patch if entry else f"{group.version}.0")
    return f"v{patch}-eks-{_digest(patch)[:7]}"


def _ready_condition(ready: bool, since: str) -> dict[str, Any]:
    if ready:
        return {
            "type": "Ready",
            "status": "True",
            "lastHeartbeatTime": since,
            "lastTransitionTime": since,
            "reason": "KubeletReady",
            "message": "kubelet is posting ready status",
        }
    return {
        "type": "Ready",
        "status": "False",
        "lastHeartbeatTime": since,
        "lastTransitionTime": since,
        "reason": "KubeletNotReady",
        "message": "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
    }


def _node_object(
    cluster: Any, group: Any, index: int, ready: bool, since: float, instance: dict[str, str] | None = None
) -> dict[str, Any]:
    from mock_eks.catalogue import amis as ami_catalogue

    region = _region(cluster)
    ip = instance["ip"] if instance else _node_ip(f"{group.nodegroup_arn}/{index}")
    name = instance["name"] if instance else _node_name(cluster, ip)
    instance_type = (group.instance_types or ["t3.medium"])[
        index % len(group.instance_types or ["t3.medium"])
    ]
    cpu, memory, pods = INSTANCE_FACTS.get(instance_type, (2, 8, 29))
    arch = "arm64" if ami_catalogue.is_arm(group.ami_type) else "amd64"
    os_name = "windows" if ami_catalogue.is_windows(group.ami_type) else "linux"
    zone = instance["zone"] if instance else f"{region}{'abc'[index % 3]}"
    kubelet = _kubelet_version(group)
    instance_id = instance["id"] if instance else "i-0" + _digest(name)[:16]
    labels = {
        "beta.kubernetes.io/arch": arch,
        "beta.kubernetes.io/instance-type": instance_type,
        "beta.kubernetes.io/os": os_name,
        "eks.amazonaws.com/capacityType": group.capacity_type or "ON_DEMAND",
        "eks.amazonaws.com/nodegroup": group.nodegroup_name,
        "eks.amazonaws.com/nodegroup-image": "ami-0" + _digest(group.ami_type, group.release_version)[:16],
        "failure-domain.beta.kubernetes.io/region": region,
        "failure-domain.beta.kubernetes.io/zone": zone,
        "k8s.io/cloud-provider-aws": _digest(cluster.name)[:32],
        "kubernetes.io/arch": arch,
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": os_name,
        "node.kubernetes.io/instance-type": instance_type,
        "topology.kubernetes.io/region": region,
        "topology.kubernetes.io/zone": zone,
        **(group.node_labels or {}),
    }
    stamp = store.timestamp(since)
    capacity = {
        "cpu": str(cpu),
        "ephemeral-storage": "20959212Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": f"{memory * 1024 * 1024 - 400000}Ki",
        "pods": str(pods),
    }
    allocatable = {
        **capacity,
        "cpu": f"{cpu * 1000 - 70}m",
        "ephemeral-storage": "18242267924",
        "memory": f"{memory * 1024 * 1024 - 900000}Ki",
    }
    spec: dict[str, Any] = {"providerID": f"aws:///{zone}/{instance_id}"}
    taints = [
        {
            "key": t["key"],
            **({"value": t["value"]} if t.get("value") else {}),
            "effect": EFFECTS.get(t.get("effect", ""), "NoSchedule"),
        }
        for t in group.node_taints or []
    ]
    if not ready:
        taints.append({"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule", "timeAdded": stamp})
    if taints:
        spec["taints"] = taints
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta(
            name,
            labels=labels,
            annotations={
                "alpha.kubernetes.io/provided-node-ip": ip,
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        ),
        "spec": spec,
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "InternalDNS", "address": name},
                {"type": "Hostname", "address": name},
            ],
            "allocatable": allocatable,
            "capacity": capacity,
            "conditions": [
                {
                    "type": "MemoryPressure",
                    "status": "False",
                    "lastHeartbeatTime": stamp,
                    "lastTransitionTime": stamp,
                    "reason": "KubeletHasSufficientMemory",
                    "message": "kubelet has sufficient memory available",
                },
                {
                    "type": "DiskPressure",
                    "status": "False",
                    "lastHeartbeatTime": stamp,
                    "lastTransitionTime": stamp,
                    "reason": "KubeletHasNoDiskPressure",
                    "message": "kubelet has no disk pressure",
                },
                {
                    "type": "PIDPressure",
                    "status": "False",
                    "lastHeartbeatTime": stamp,
                    "lastTransitionTime": stamp,
                    "reason": "KubeletHasSufficientPID",
                    "message": "kubelet has sufficient PID available",
                },
                _ready_condition(ready, stamp),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": arch,
                "bootID": _uuid(name, "boot"),
                "containerRuntimeVersion": "containerd://1.7.23",
                "kernelVersion": "6.1.115-126.197.amzn2023.x86_64"
                if arch == "amd64"
                else "6.1.115-126.197.amzn2023.aarch64",
                "kubeProxyVersion": kubelet,
                "kubeletVersion": kubelet,
                "machineID": _digest(name, "machine")[:32],
                "operatingSystem": os_name,
                "osImage": "Amazon Linux 2023.6.20241121"
                if os_name == "linux"
                else "Windows Server 2022 Datacenter",
                "systemUUID": _uuid(name, "system"),
            },
        },
    }


def _uuid(*parts: Any) -> str:
    text = _digest(*parts)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:32]}"


def _sync_nodes(backend: Any, cluster: Any, state: store.KubeState, now: float) -> bool:
    groups = list(cluster.child("nodegroups"))
    # with the moto link, the nodes are the instances of each group's Auto Scaling group in moto
    instances = (
        {g.nodegroup_arn: moto_nodegroups.instances_of(backend, g) for g in groups}
        if backend.moto != "off"
        else {}
    )
    fingerprint: list[object] = [  # compared with the last sync's, never read
        (
            g.nodegroup_arn,
            g.status,
            (g.scaling_config or {}).get("desiredSize", 0),
            sorted((g.node_labels or {}).items()),
            str(g.node_taints),
            g.release_version,
            g.version,
            str(g.instance_types),
            g.capacity_type,
        )
        for g in groups
    ]
    fingerprint.append(sorted((k, str(v)) for k, v in instances.items()))
    if state.synced.get("nodegroups") == fingerprint:
        return False
    state.synced["nodegroups"] = fingerprint
    wanted: dict[str, dict[str, Any]] = {}
    for group in groups:
        if group.status not in NODE_GROUP_SERVING:
            continue
        ready = group.status != "DEGRADED"
        since = group.modified_at or group.created_at
        known = instances.get(group.nodegroup_arn)
        for index in range(
            len(known) if known is not None else (group.scaling_config or {}).get("desiredSize", 0)
        ):
            node = _node_object(
                cluster, group, index, ready, since, known[index] if known is not None else None
            )
            wanted[node["metadata"]["name"]] = node
    for node in list(state.objects.get(NODES, {}).values()):
        name = node["metadata"]["name"]
        managed = "eks.amazonaws.com/nodegroup" in node["metadata"].get("labels", {})
        if managed and name not in wanted:
            _remove_node(state, name)
    for node in wanted.values():
        _put_if_changed(state, NODES, node, now)
    return True


def _remove_node(state: store.KubeState, name: str) -> None:
    store.remove(state, NODES, None, name)
    for pod in list(state.objects.get(PODS, {}).values()):
        if pod.get("spec", {}).get("nodeName") == name:
            store.remove(state, PODS, pod["metadata"]["namespace"], pod["metadata"]["name"])


# -- aws-auth ----------------------------------------------------------------------------------------------


def _sync_aws_auth(cluster: Any, state: store.KubeState, now: float) -> bool:
    """EKS writes each managed node group's (and Fargate profile's) role into ``aws-auth`` ``mapRoles``
    (Amazon EKS User Guide, "Grant IAM users access to Kubernetes with a ConfigMap"); users may edit it."""
    import yaml

    if (cluster.access_config or {}).get("authenticationMode", "CONFIG_MAP") not in (
        "CONFIG_MAP",
        "API_AND_CONFIG_MAP",
    ):
        return False
    roles = [("node", g.node_role) for g in cluster.child("nodegroups")] + [
        ("fargate", p.pod_execution_role_arn) for p in cluster.child("fargate_profiles")
    ]
    if state.synced.get("aws-auth") == roles:
        return False
    state.synced["aws-auth"] = roles
    if not roles:
        return False
    existing = store.get(state, "configmaps", "kube-system", "aws-auth")
    data = dict((existing or {}).get("data") or {})
    try:
        mapped = yaml.safe_load(data.get("mapRoles") or "[]") or []
    except yaml.YAMLError:
        mapped = []
    known = {entry.get("rolearn") for entry in mapped if isinstance(entry, dict)}
    added = False
    for kind, role in roles:
        if role in known:
            continue
        known.add(role)
        added = True
        if kind == "node":
            mapped.append(
                {
                    "groups": ["system:bootstrappers", "system:nodes"],
                    "rolearn": role,
                    "username": "system:node:{{EC2PrivateDNSName}}",
                }
            )
        else:
            mapped.append(
                {
                    "groups": ["system:bootstrappers", "system:nodes", "system:node-proxier"],
                    "rolearn": role,
                    "username": "system:node:{{SessionName}}",
                }
            )
    if not added:
        return False
    data["mapRoles"] = yaml.safe_dump(mapped, default_flow_style=False)
    obj = (
        copy.deepcopy(existing)
        if existing
        else {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("aws-auth", "kube-system")}
    )
    obj["data"] = data
    store.put(state, "configmaps", obj, now)
    return True


# -- add-on workloads --------------------------------------------------------------------------------------


def _image(cluster: Any, repository: str, version: str | None) -> str:
    region = _region(cluster)
    tag = (version or "v1").split("-eksbuild")[0] if version else "latest"
    return f"602401143452.dkr.ecr.{region}.amazonaws.com/eks/{repository}:{tag}"


def _sync_addons(cluster: Any, state: store.KubeState, now: float) -> bool:
    addons = {
        a.addon_name: a
        for a in cluster.child("addons")
        if a.status not in ("CREATING", "DELETING", "CREATE_FAILED")
    }
    # a snapshot from before the flag was kept restores without the attribute: those clusters bootstrapped
    bootstrapped = set(BOOTSTRAPPED) if getattr(cluster, "bootstrap_self_managed_addons", True) else set()
    names = sorted(bootstrapped | (set(addons) & set(ADDON_WORKLOADS)))
    fingerprint = [(n, getattr(addons.get(n), "addon_version", None)) for n in names]
    if state.synced.get("addons") == fingerprint:
        return False
    previous = {n for n, _ in state.synced.get("addons") or []}
    state.synced["addons"] = fingerprint
    for name in previous - set(names):
        kind, workload, _, _ = ADDON_WORKLOADS[name]
        store.remove(state, DEPLOYMENTS if kind == "Deployment" else DAEMONSETS, "kube-system", workload)
    for name in names:
        kind, workload, repository, label = ADDON_WORKLOADS[name]
        addon = addons.get(name)
        labels = {label: workload}
        if addon is not None:
            labels["app.kubernetes.io/managed-by"] = "EKS"
        template = {
            "metadata": {"labels": dict(labels)},
            "spec": {
                "containers": [
                    {
                        "name": workload,
                        "image": _image(cluster, repository, getattr(addon, "addon_version", None)),
                    }
                ],
                "priorityClassName": "system-node-critical"
                if kind == "DaemonSet"
                else "system-cluster-critical",
                "tolerations": [{"operator": "Exists"}]
                if kind == "DaemonSet"
                else [
                    {"key": "CriticalAddonsOnly", "operator": "Exists"},
                    {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
                ],
                "serviceAccountName": workload,
            },
        }
        spec: dict[str, Any] = {"selector": {"matchLabels": {label: workload}}, "template": template}
        if kind == "Deployment":
            spec["replicas"] = 2
        resource = DEPLOYMENTS if kind == "Deployment" else DAEMONSETS
        existing = store.get(state, resource, "kube-system", workload)
        obj: dict[str, Any] = (
            copy.deepcopy(existing)
            if existing
            else {
                "apiVersion": "apps/v1",
                "kind": kind,
                "metadata": meta(workload, "kube-system", labels=dict(labels), generation=1),
            }
        )
        if existing is not None and existing.get("spec", {}).get("template") != apply_pod_defaults_template(
            template
        ):
            obj["metadata"]["generation"] = existing["metadata"].get("generation", 1) + 1
        obj["spec"] = spec
        workload_defaults(obj)
        _put_if_changed(state, resource, obj, now)
        if store.get(state, "serviceaccounts", "kube-system", workload) is None:
            store.put(
                state,
                "serviceaccounts",
                {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(workload, "kube-system")},
                now,
            )
    return True


# -- defaults of created objects ---------------------------------------------------------------------------


def apply_pod_defaults_template(template: dict[str, Any]) -> dict[str, Any]:
    template = copy.deepcopy(template)
    pod_spec_defaults(template.setdefault("spec", {}))
    template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    return template


def pod_spec_defaults(spec: dict[str, Any]) -> None:
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    for container in spec.get("containers") or []:
        image = str(container.get("image", ""))
        tag = image.rsplit("/", 1)[-1]
        container.setdefault(
            "imagePullPolicy", "Always" if ":" not in tag or tag.endswith(":latest") else "IfNotPresent"
        )
        container.setdefault("resources", {})
        container.setdefault("terminationMessagePath", "/dev/termination-log")
        container.setdefault("terminationMessagePolicy", "File")


def workload_defaults(obj: dict[str, Any]) -> None:
    """The defaults kube-apiserver fills into an apps/v1 workload."""
    spec = obj.setdefault("spec", {})
    spec["template"] = apply_pod_defaults_template(spec.get("template") or {})
    spec.setdefault("revisionHistoryLimit", 10)
    kind = obj.get("kind")
    if kind in ("Deployment", "ReplicaSet", "StatefulSet"):
        spec.setdefault("replicas", 1)
    if kind == "Deployment":
        spec.setdefault("progressDeadlineSeconds", 600)
        spec.setdefault(
            "strategy",
            {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        )
    if kind == "DaemonSet":
        spec.setdefault(
            "updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}
        )
    if kind == "ReplicaSet":
        spec.pop("revisionHistoryLimit", None)


def pod_defaults(pod: dict[str, Any], now: float) -> None:
    spec = pod.setdefault("spec", {})
    pod_spec_defaults(spec)
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("serviceAccount", spec["serviceAccountName"])
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    spec.setdefault("priority", 0)
    tolerations = spec.setdefault("tolerations", [])
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not any(t.get("key") == key for t in tolerations):
            tolerations.append(
                {"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}
            )
    pod.setdefault("status", {"phase": "Pending", "qosClass": "BestEffort"})


# -- scheduling --------------------------------------------------------------------------------------------


def _tolerates(tolerations: list[dict[str, Any]], taint: dict[str, Any]) -> bool:
    for toleration in tolerations or []:
        effect = toleration.get("effect")
        if effect and effect != taint.get("effect"):
            continue
        operator = toleration.get("operator", "Equal")
        key = toleration.get("key")
        if operator == "Exists" and (not key or key == taint.get("key")):
            return True
        if (
            operator == "Equal"
            and key == taint.get("key")
            and toleration.get("value", "") == taint.get("value", "")
        ):
            return True
    return False


def _untolerated(pod: dict[str, Any], node: dict[str, Any]) -> dict[str, Any] | None:
    for taint in node.get("spec", {}).get("taints") or []:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not _tolerates(
            pod["spec"].get("tolerations") or [], taint
        ):
            return taint
    return None


def _ready(node: dict[str, Any]) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in node.get("status", {}).get("conditions") or []
    )


def _fargate_profile(cluster: Any, pod: dict[str, Any]) -> Any:
    labels = pod["metadata"].get("labels") or {}
    namespace = pod["metadata"].get("namespace")
    for profile in cluster.child("fargate_profiles"):
        if profile.status != "ACTIVE":
            continue
        for selector in profile.selectors or []:
            if selector.get("namespace") in (namespace, "*") or (
                "*" in str(selector.get("namespace"))
                and re.fullmatch(
                    str(selector["namespace"]).replace("*", ".*").replace("?", "."), namespace or ""
                )
            ):
                if all(labels.get(k) == v for k, v in (selector.get("labels") or {}).items()):
                    return profile
    return None


def _fargate_node(cluster: Any, profile: Any, pod: dict[str, Any], now: float) -> dict[str, Any]:
    region = _region(cluster)
    ip = _node_ip(f"fargate/{pod['metadata']['uid']}")
    base = _node_name(cluster, ip)
    name = f"fargate-{base}"
    stamp = store.timestamp(now)
    zone = f"{region}a"
    kubelet = f"v{(cluster.version or '1.31')}.0-eks-{_digest(cluster.version)[:7]}"
    from mock_eks.catalogue import versions

    entry = versions.get(cluster.version or "")
    if entry is not None:
        kubelet = f"v{entry.patch}-eks-{_digest(entry.patch)[:7]}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta(
            name,
            labels={
                "beta.kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux",
                "eks.amazonaws.com/compute-type": "fargate",
                "failure-domain.beta.kubernetes.io/region": region,
                "failure-domain.beta.kubernetes.io/zone": zone,
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": base,
                "kubernetes.io/os": "linux",
                "topology.kubernetes.io/region": region,
                "topology.kubernetes.io/zone": zone,
            },
            annotations={"node.alpha.kubernetes.io/ttl": "0"},
        ),
        "spec": {
            "providerID": f"aws:///{zone}/{_digest(name)[:32]}/{name}",
            "taints": [{"key": "eks.amazonaws.com/compute-type", "value": "fargate", "effect": "NoSchedule"}],
        },
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "InternalDNS", "address": base},
                {"type": "Hostname", "address": base},
            ],
            "allocatable": {"cpu": "2", "ephemeral-storage": "20Gi", "memory": "3Gi", "pods": "1"},
            "capacity": {"cpu": "2", "ephemeral-storage": "30Gi", "memory": "4Gi", "pods": "1"},
            "conditions": [_ready_condition(True, stamp)],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": _uuid(name, "boot"),
                "containerRuntimeVersion": "containerd://1.7.23",
                "kernelVersion": "5.10.228-219.884.amzn2.x86_64",
                "kubeProxyVersion": kubelet,
                "kubeletVersion": kubelet,
                "machineID": _digest(name)[:32],
                "operatingSystem": "linux",
                "osImage": "Amazon Linux 2",
                "systemUUID": _uuid(name, "system"),
            },
        },
    }


def _run(pod: dict[str, Any], node: dict[str, Any], now: float) -> dict[str, Any]:
    # stored objects are never changed in place: a new pod shares what it does not change
    pod = {**pod, "spec": {**pod["spec"], "nodeName": node["metadata"]["name"]}}
    stamp = store.timestamp(now)
    host_ip = next(a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP")
    pod_ip = _node_ip(f"pod/{pod['metadata']['uid']}")
    pod["status"] = {
        "phase": "Running",
        "conditions": [
            {"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": stamp}
            for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
        ],
        "hostIP": host_ip,
        "hostIPs": [{"ip": host_ip}],
        "podIP": pod_ip,
        "podIPs": [{"ip": pod_ip}],
        "startTime": stamp,
        "qosClass": pod.get("status", {}).get("qosClass", "BestEffort"),
        "containerStatuses": [
            {
                "name": c["name"],
                "image": c.get("image", ""),
                "imageID": f"{c.get('image', '')}@sha256:{_digest(c.get('image'))}{_digest(c.get('image'))[:24]}",
                "containerID": f"containerd://{_digest(pod['metadata']['uid'], c['name'])}{_digest(c['name'])[:24]}",
                "ready": True,
                "started": True,
                "restartCount": 0,
                "state": {"running": {"startedAt": stamp}},
                "lastState": {},
            }
            for c in pod["spec"].get("containers") or []
        ],
    }
    return pod


def _pending(pod: dict[str, Any], message: str, now: float) -> dict[str, Any]:
    pod = copy.deepcopy(pod)
    status = pod.setdefault("status", {})
    status["phase"] = "Pending"
    status["conditions"] = [
        {
            "type": "PodScheduled",
            "status": "False",
            "lastProbeTime": None,
            "lastTransitionTime": store.timestamp(now),
            "reason": "Unschedulable",
            "message": message,
        }
    ]
    return pod


def record_event(
    state: store.KubeState,
    obj: dict[str, Any],
    kind: str,
    reason: str,
    message: str,
    component: str,
    now: float,
) -> None:
    """A core/v1 Event about ``obj``, as a controller records one (``kubectl describe`` lists them)."""
    meta = obj["metadata"]
    stamp = store.timestamp(now)
    name = f"{meta['name']}.{_digest(meta.get('uid'), reason, message, now)[:16]}"
    store.put(
        state,
        "events",
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": meta.get("namespace") or "default"},
            "involvedObject": {
                "apiVersion": obj.get("apiVersion"),
                "kind": obj.get("kind"),
                "name": meta["name"],
                "namespace": meta.get("namespace"),
                "uid": meta.get("uid"),
            },
            "reason": reason,
            "message": message,
            "type": kind,
            "source": {"component": component},
            "reportingComponent": component,
            "reportingInstance": "",
            "firstTimestamp": stamp,
            "lastTimestamp": stamp,
            "count": 1,
        },
        now,
    )


def _scheduled(state: store.KubeState, pod: dict[str, Any], node: str, component: str, now: float) -> None:
    # kube-scheduler's wording (pkg/scheduler/schedule_one.go: "Successfully assigned %v/%v to %v")
    message = f"Successfully assigned {pod['metadata']['namespace']}/{pod['metadata']['name']} to {node}"
    record_event(state, pod, "Normal", "Scheduled", message, component, now)


def _schedule(cluster: Any, state: store.KubeState, pod: dict[str, Any], now: float) -> None:
    """kube-scheduler's filter (Ready, taints, nodeSelector) then the least-loaded node; the scheduler's
    FitError message when nothing fits (k8s.io/kubernetes pkg/scheduler/framework/types.go ``FitError``)."""
    namespace = pod["metadata"]["namespace"]
    profile = _fargate_profile(cluster, pod)
    if profile is not None and pod["spec"].get("schedulerName") in (
        None,
        "default-scheduler",
        "fargate-scheduler",
    ):
        node = _fargate_node(cluster, profile, pod, now)
        store.put(state, NODES, node, now)
        pod = copy.deepcopy(pod)
        pod["spec"]["schedulerName"] = "fargate-scheduler"
        pod["metadata"].setdefault("labels", {})["eks.amazonaws.com/fargate-profile"] = (
            profile.fargate_profile_name
        )
        store.put(state, PODS, _run(pod, node, now), now)
        _scheduled(state, pod, node["metadata"]["name"], "fargate-scheduler", now)
        return
    nodes = [
        n
        for n in state.objects.get(NODES, {}).values()
        if n["metadata"].get("labels", {}).get("eks.amazonaws.com/compute-type") != "fargate"
    ]
    selector = pod["spec"].get("nodeSelector") or {}
    reasons: dict[str, int] = {}
    fitting = []
    for node in nodes:
        labels = node["metadata"].get("labels") or {}
        taint = _untolerated(pod, node)
        if taint is not None:
            value = f": {taint['value']}" if taint.get("value") else ""
            reason = f"node(s) had untolerated taint {{{taint['key']}{value}}}"
        elif not all(labels.get(k) == v for k, v in selector.items()):
            reason = "node(s) didn't match Pod's node affinity/selector"
        elif node.get("spec", {}).get("unschedulable"):
            reason = "node(s) were unschedulable"
        else:
            fitting.append(node)
            continue
        reasons[reason] = reasons.get(reason, 0) + 1
    if not fitting:
        if not nodes:
            message = "no nodes available to schedule pods"
        else:
            detail = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
            message = f"0/{len(nodes)} nodes are available: {detail}. preemption: 0/{len(nodes)} nodes are available: {len(nodes)} Preemption is not helpful for scheduling."
        conditions = pod.get("status", {}).get("conditions") or []
        if not (conditions and conditions[0].get("message") == message):
            store.put(state, PODS, _pending(pod, message, now), now)
            record_event(state, pod, "Warning", "FailedScheduling", message, "default-scheduler", now)
        return
    load: dict[str, int] = {}
    for other in state.objects.get(PODS, {}).values():
        node_name = other.get("spec", {}).get("nodeName")
        if node_name:
            load[node_name] = load.get(node_name, 0) + 1
    chosen = min(fitting, key=lambda n: (load.get(n["metadata"]["name"], 0), n["metadata"]["name"]))
    store.put(state, PODS, _run(pod, chosen, now), now)
    _scheduled(state, pod, chosen["metadata"]["name"], "default-scheduler", now)
    del namespace


# -- workload controllers ----------------------------------------------------------------------------------


def _hash(template: Any) -> str:
    """A name suffix from ``template`` (as the controllers' ``ComputeHash``): stable, in the safe alphabet."""
    return _safe(_digest(json.dumps(template, sort_keys=True, default=str)))


def _safe(digits: str) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    number = int(digits[:15], 16)
    out = ""
    for _ in range(10):
        number, index = divmod(number, len(alphabet))
        out += alphabet[index]
    return out


def _owner(obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": obj["apiVersion"],
        "kind": obj["kind"],
        "name": obj["metadata"]["name"],
        "uid": obj["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def _owned_by(obj: dict[str, Any], owner: dict[str, Any]) -> bool:
    return any(
        ref.get("uid") == owner["metadata"]["uid"] for ref in obj["metadata"].get("ownerReferences") or []
    )


def _pods_of(state: store.KubeState, owner: dict[str, Any]) -> list[dict[str, Any]]:
    prefix = owner["metadata"]["namespace"] + "/"
    return [p for k, p in state.objects.get(PODS, {}).items() if k.startswith(prefix) and _owned_by(p, owner)]


def _new_pod(owner: dict[str, Any], suffix: str, now: float, node: str | None = None) -> dict[str, Any]:
    template = json.loads(json.dumps(owner["spec"].get("template") or {}))  # a deep copy, faster
    template_meta = template.get("metadata") or {}
    pod: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta(
            f"{owner['metadata']['name']}-{suffix}",
            owner["metadata"]["namespace"],
            generateName=f"{owner['metadata']['name']}-",
            labels=dict(template_meta.get("labels") or {}),
            annotations=template_meta.get("annotations"),
            ownerReferences=[_owner(owner)],
        ),
        "spec": template.get("spec") or {},
    }
    if node is not None:
        pod["spec"]["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
                    ]
                }
            }
        }
    pod_defaults(pod, now)
    return pod


def _suffix(*parts: Any) -> str:
    return _safe(_digest(*parts))[:5]


def _free_suffix(state: store.KubeState, owner: dict[str, Any], seed: Any) -> str:
    """A pod name suffix (five characters, as generateName makes) no pod of the namespace has yet."""
    meta = owner["metadata"]
    attempt = 0
    while True:
        suffix = _suffix(meta["uid"], seed, attempt)
        if store.get(state, PODS, meta["namespace"], f"{meta['name']}-{suffix}") is None:
            return suffix
        attempt += 1


def _replicaset_controller(state: store.KubeState, rs: dict[str, Any], now: float) -> None:
    wanted = rs["spec"].get("replicas", 1)
    pods = sorted(_pods_of(state, rs), key=lambda p: p["metadata"]["name"])
    for pod in pods[wanted:]:
        store.remove(state, PODS, pod["metadata"]["namespace"], pod["metadata"]["name"])
    pods = pods[:wanted]
    index = 0
    while len(pods) < wanted:
        suffix = _free_suffix(state, rs, index)
        index += 1
        pods.append(store.put(state, PODS, _new_pod(rs, suffix, now), now))
    ready = sum(1 for p in pods if p.get("status", {}).get("phase") == "Running")
    status = {
        "replicas": len(pods),
        "fullyLabeledReplicas": len(pods),
        "readyReplicas": ready,
        "availableReplicas": ready,
        "observedGeneration": rs["metadata"].get("generation", 1),
    }
    status = {k: v for k, v in status.items() if v or k in ("replicas", "observedGeneration")}
    if rs.get("status") != status:
        updated = copy.deepcopy(rs)
        updated["status"] = status
        store.put(state, REPLICASETS, updated, now)


def _deployment_controller(state: store.KubeState, deployment: dict[str, Any], now: float) -> None:
    namespace = deployment["metadata"]["namespace"]
    template = deployment["spec"].get("template") or {}
    template_hash = _hash(template)
    name = f"{deployment['metadata']['name']}-{template_hash}"
    wanted = deployment["spec"].get("replicas", 1)
    prefix = namespace + "/"
    owned = [
        rs
        for k, rs in state.objects.get(REPLICASETS, {}).items()
        if k.startswith(prefix) and _owned_by(rs, deployment)
    ]
    revision = max(
        [
            int(rs["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision", "0"))
            for rs in owned
        ]
        + [0]
    )
    current = store.get(state, REPLICASETS, namespace, name)
    for rs in owned:
        if rs["metadata"]["name"] != name and rs["spec"].get("replicas", 0) != 0:
            scaled = copy.deepcopy(rs)
            scaled["spec"]["replicas"] = 0
            store.put(state, REPLICASETS, scaled, now)
    if current is None:
        labels = {**(template.get("metadata", {}).get("labels") or {}), "pod-template-hash": template_hash}
        rs_template = copy.deepcopy(template)
        rs_template.setdefault("metadata", {})["labels"] = labels
        selector = copy.deepcopy(deployment["spec"].get("selector") or {})
        selector.setdefault("matchLabels", {})["pod-template-hash"] = template_hash
        current = store.put(
            state,
            REPLICASETS,
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": meta(
                    name,
                    namespace,
                    labels=labels,
                    annotations={
                        "deployment.kubernetes.io/desired-replicas": str(wanted),
                        "deployment.kubernetes.io/max-replicas": str(wanted + max(1, -(-wanted // 4))),
                        "deployment.kubernetes.io/revision": str(revision + 1),
                    },
                    ownerReferences=[_owner(deployment)],
                    generation=1,
                ),
                "spec": {"replicas": wanted, "selector": selector, "template": rs_template},
            },
            now,
        )
    elif current["spec"].get("replicas") != wanted:
        scaled = copy.deepcopy(current)
        scaled["spec"]["replicas"] = wanted
        scaled["metadata"]["generation"] = scaled["metadata"].get("generation", 1) + 1
        scaled["metadata"].setdefault("annotations", {})["deployment.kubernetes.io/desired-replicas"] = str(
            wanted
        )
        current = store.put(state, REPLICASETS, scaled, now)
    _replicaset_controller(state, current, now)
    current = store.get(state, REPLICASETS, namespace, name) or current
    ready = current.get("status", {}).get("readyReplicas", 0)
    total = sum(
        rs.get("status", {}).get("replicas", 0) for rs in owned if rs["metadata"]["name"] != name
    ) + current.get("status", {}).get("replicas", 0)
    stamp = store.timestamp(now)
    previous = {c["type"]: c for c in deployment.get("status", {}).get("conditions") or []}

    def condition(kind: str, ok: bool, reason: str, message: str) -> dict[str, Any]:
        old = previous.get(kind)
        if old and old.get("status") == ("True" if ok else "False") and old.get("reason") == reason:
            return old
        return {
            "type": kind,
            "status": "True" if ok else "False",
            "lastUpdateTime": stamp,
            "lastTransitionTime": stamp,
            "reason": reason,
            "message": message,
        }

    available = ready >= wanted
    status: dict[str, Any] = {
        "observedGeneration": deployment["metadata"].get("generation", 1),
        "replicas": total,
        "updatedReplicas": current.get("status", {}).get("replicas", 0),
        "readyReplicas": ready,
        "availableReplicas": ready,
        "conditions": [
            condition(
                "Available",
                available,
                "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
                "Deployment has minimum availability."
                if available
                else "Deployment does not have minimum availability.",
            ),
            condition(
                "Progressing",
                True,
                "NewReplicaSetAvailable" if available else "ReplicaSetUpdated",
                f'ReplicaSet "{name}" has successfully progressed.'
                if available
                else f'ReplicaSet "{name}" is progressing.',
            ),
        ],
    }
    if wanted - ready > 0:
        status["unavailableReplicas"] = wanted - ready
    status = {k: v for k, v in status.items() if v or k in ("observedGeneration", "conditions", "replicas")}
    if deployment.get("status") != status:
        updated = copy.deepcopy(deployment)
        updated["status"] = status
        store.put(state, DEPLOYMENTS, updated, now)


def _daemonset_controller(state: store.KubeState, daemonset: dict[str, Any], now: float) -> None:
    pods = {p["spec"].get("nodeName") or _pinned(p): p for p in _pods_of(state, daemonset)}
    template_spec = daemonset["spec"].get("template", {}).get("spec") or {}
    selector = template_spec.get("nodeSelector") or {}
    nodes = [
        n
        for n in state.objects.get(NODES, {}).values()
        if _untolerated({"spec": template_spec}, n) is None
        and all((n["metadata"].get("labels") or {}).get(k) == v for k, v in selector.items())
        and n["metadata"].get("labels", {}).get("eks.amazonaws.com/compute-type") != "fargate"
    ]
    names = {n["metadata"]["name"] for n in nodes}
    revision = _hash(daemonset["spec"].get("template") or {})
    for node_name, pod in list(pods.items()):
        stale = pod["metadata"].get("labels", {}).get("controller-revision-hash") != revision
        if node_name not in names or stale:  # RollingUpdate: a pod of an older template is replaced
            store.remove(state, PODS, pod["metadata"]["namespace"], pod["metadata"]["name"])
            del pods[node_name]
    for node in nodes:
        name = node["metadata"]["name"]
        if name not in pods:
            pod = _new_pod(daemonset, _free_suffix(state, daemonset, name), now, node=name)
            pod["metadata"]["labels"]["controller-revision-hash"] = revision
            pod["metadata"]["labels"]["pod-template-generation"] = str(
                daemonset["metadata"].get("generation", 1)
            )
            store.put(state, PODS, _run(store.put(state, PODS, pod, now), node, now), now)
    owned = _pods_of(state, daemonset)
    ready = sum(1 for p in owned if p.get("status", {}).get("phase") == "Running")
    status = {
        "currentNumberScheduled": len(nodes),
        "desiredNumberScheduled": len(nodes),
        "numberAvailable": ready,
        "numberMisscheduled": 0,
        "numberReady": ready,
        "observedGeneration": daemonset["metadata"].get("generation", 1),
        "updatedNumberScheduled": len(nodes),
    }
    if len(nodes) - ready > 0:
        status["numberUnavailable"] = len(nodes) - ready
    status = {
        k: v
        for k, v in status.items()
        if v or k in ("currentNumberScheduled", "desiredNumberScheduled", "numberMisscheduled", "numberReady")
    }
    if daemonset.get("status") != status:
        updated = copy.deepcopy(daemonset)
        updated["status"] = status
        store.put(state, DAEMONSETS, updated, now)


def _pinned(pod: dict[str, Any]) -> str:
    terms = pod["spec"].get("affinity", {}).get("nodeAffinity", {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution", {}
    ).get("nodeSelectorTerms") or [{}]
    fields = terms[0].get("matchFields") or [{}]
    return (fields[0].get("values") or [""])[0]


def _statefulset_controller(state: store.KubeState, statefulset: dict[str, Any], now: float) -> None:
    """Pods ``<name>-0`` .. ``<name>-<replicas-1>``, each with its ordinal's stable name."""
    meta = statefulset["metadata"]
    wanted = statefulset["spec"].get("replicas", 1)
    revision = f"{meta['name']}-{_hash(statefulset['spec'].get('template') or {})}"
    pods = {p["metadata"]["name"]: p for p in _pods_of(state, statefulset)}
    for name, pod in pods.items():
        ordinal = name.rsplit("-", 1)[-1]
        stale = pod["metadata"].get("labels", {}).get("controller-revision-hash") != revision
        if not ordinal.isdigit() or int(ordinal) >= wanted or stale:
            store.remove(state, PODS, meta["namespace"], name)
    for ordinal in range(wanted):
        name = f"{meta['name']}-{ordinal}"
        if store.get(state, PODS, meta["namespace"], name) is None:
            pod = _new_pod(statefulset, str(ordinal), now)
            pod["metadata"].pop("generateName", None)
            pod["metadata"]["labels"].update(
                {
                    "controller-revision-hash": revision,
                    "statefulset.kubernetes.io/pod-name": name,
                    "apps.kubernetes.io/pod-index": str(ordinal),
                }
            )
            pod["spec"]["hostname"] = name
            store.put(state, PODS, pod, now)
    pods_now = _pods_of(state, statefulset)
    ready = sum(1 for p in pods_now if p.get("status", {}).get("phase") == "Running")
    status = {
        "availableReplicas": ready,
        "collisionCount": 0,
        "currentReplicas": len(pods_now),
        "currentRevision": revision,
        "observedGeneration": meta.get("generation", 1),
        "readyReplicas": ready,
        "replicas": len(pods_now),
        "updateRevision": revision,
        "updatedReplicas": len(pods_now),
    }
    if statefulset.get("status") != status:
        updated = copy.deepcopy(statefulset)
        updated["status"] = status
        store.put(state, STATEFULSETS, updated, now)


def _run_workload_controllers(cluster: Any, state: store.KubeState, now: float) -> None:
    for deployment in list(state.objects.get(DEPLOYMENTS, {}).values()):
        _deployment_controller(state, deployment, now)
    for statefulset in list(state.objects.get(STATEFULSETS, {}).values()):
        _statefulset_controller(state, statefulset, now)
    for rs in list(state.objects.get(REPLICASETS, {}).values()):
        owners = rs["metadata"].get("ownerReferences") or []
        if owners and store.get(state, DEPLOYMENTS, rs["metadata"]["namespace"], owners[0]["name"]) is None:
            store.remove(state, REPLICASETS, rs["metadata"]["namespace"], rs["metadata"]["name"])
            continue
        _replicaset_controller(state, rs, now)
    for daemonset in list(state.objects.get(DAEMONSETS, {}).values()):
        _daemonset_controller(state, daemonset, now)
    for pod in list(state.objects.get(PODS, {}).values()):
        owners = pod["metadata"].get("ownerReferences") or []
        if owners:
            resource = {"ReplicaSet": REPLICASETS, "DaemonSet": DAEMONSETS, "StatefulSet": STATEFULSETS}.get(
                owners[0].get("kind")
            )
            if (
                resource
                and store.get(state, resource, pod["metadata"]["namespace"], owners[0]["name"]) is None
            ):
                store.remove(state, PODS, pod["metadata"]["namespace"], pod["metadata"]["name"])
                continue
        if not pod["spec"].get("nodeName"):
            _schedule(cluster, state, pod, now)

"""scripts/rebuild_catalogues.py: the catalogue files are what the saved facts rebuild to, and the
extractors read both release-note formats (inputs below are small synthetic samples of each shape)."""

from __future__ import annotations

import json
from importlib import util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    spec = util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_addons_json_is_what_the_saved_facts_build():
    facts = _load("addon_facts")
    data = ROOT / "mock_eks" / "data"
    built = facts.build(
        ROOT / "scripts" / "sources" / "addons",
        None,
        json.loads((data / "kubernetes_versions.json").read_text()),
    )
    assert built == json.loads((data / "addons.json").read_text())


def test_changelog_list_format():
    rebuild = _load("rebuild_catalogues")
    text = "\n".join(
        [
            "### AMI Release v20231027",
            "* amazon-eks-gpu-node-1.28-v20231027",
            "* amazon-eks-node-1.27-v20231027",
            "[Release versions](x) for these AMIs:",
            "* `1.28.2-20231027`",
            "* `1.27.6-20231027`",
            "### [Recalled] AMI Release v20231020",
            "* amazon-eks-node-1.28-v20231020",
            "* `1.28.2-20231020`",
            "### AMI Release v20220629",
            "* amazon-eks-node-1.22-v20220629",
            "* s3://amazon-eks/1.22.9/2022-03-09/",
        ]
    )
    parsed = rebuild.parse_eks_ami_changelog(text)
    assert parsed["AL2"] == {
        "1.28": {"1.28.2-20231027"},
        "1.27": {"1.27.6-20231027"},
        "1.22": {"1.22.9-20220629"},
    }
    assert parsed["AL2023"] == {}


def test_changelog_table_format_pairs_names_with_their_release_cell():
    rebuild = _load("rebuild_catalogues")
    text = "\n".join(
        [
            "# AMI Release v20240307",
            "<table>",
            "<tr>",
            "<td>amazon-eks-node-al2023-x86_64-standard-1.29-v20240307</td>",
            '<td rowspan="2">1.29.0-20240307</td>',
            "</tr>",
            "<tr>",
            "<td>amazon-eks-node-1.29-v20240307</td>",
            "</tr>",
            "</table>",
            "<table>",
            "<tr>",
            "<td>amazon-eks-node-al2023-arm64-standard-1.28-v20240307</td>",
            '<td rowspan="1">1.28.5-20240307</td>',
            "</tr>",
            "</table>",
        ]
    )
    parsed = rebuild.parse_eks_ami_changelog(text)
    assert parsed["AL2023"] == {"1.29": {"1.29.0-20240307"}, "1.28": {"1.28.5-20240307"}}
    assert parsed["AL2"] == {"1.29": {"1.29.0-20240307"}}


def test_user_guide_addon_tables():
    rebuild = _load("rebuild_catalogues")
    text = "\n".join(
        [
            "[[coredns-versions,coredns-versions.title]]",
            "| Kubernetes version | CoreDNS version",
            "| 1.31 | v1.11.3-eksbuild.2",
            "[[kube-proxy-versions,kube-proxy-versions.title]]",
            "| 1.31 | v1.31.2-eksbuild.3",
            "| 1.24 | v1.24.10-eksbuild.2 | v1.24.17-minimal-eksbuild.19",
        ]
    )
    assert rebuild.parse_addon_tables(text) == {
        "coredns": {"1.31": "v1.11.3-eksbuild.2"},
        "kube-proxy": {"1.31": "v1.31.2-eksbuild.3"},
    }


def test_addon_recordings_in_either_casing_and_encoding():
    rebuild = _load("rebuild_catalogues")

    def answer(key):
        def k(name):
            return name[:1].upper() + name[1:] if key == "eksctl" else name

        return {
            k("addons"): [
                {
                    k("addonName"): "coredns",
                    k("type"): "networking",
                    k("addonVersions"): [
                        {
                            k("addonVersion"): "v1.9.3-eksbuild.7",
                            k("architecture"): ["amd64", "arm64"],
                            k("compatibilities"): [
                                {
                                    k("clusterVersion"): "1.26",
                                    k("platformVersions"): ["*"],
                                    k("defaultVersion"): True,
                                },
                                {
                                    k("clusterVersion"): "1.25",
                                    k("platformVersions"): ["*"],
                                    k("defaultVersion"): False,
                                },
                            ],
                        },
                        {
                            k("addonVersion"): "v1.8.7-eksbuild.1",
                            k("compatibilities"): [
                                {
                                    k("clusterVersion"): "1.22",
                                    k("platformVersions"): ["*"],
                                    k("defaultVersion"): True,
                                }
                            ],
                        },
                    ],
                }
            ]
        }

    # aws-cli JSON in UTF-8; eksctl JSON redirected by PowerShell (UTF-16 with a byte-order mark)
    cli = rebuild.parse_addon_recording(rebuild._decode(json.dumps(answer("cli")).encode()))
    eksctl = rebuild.parse_addon_recording(rebuild._decode(json.dumps(answer("eksctl")).encode("utf-16")))
    assert cli == eksctl
    assert cli["scope"] == ["1.22", "1.25", "1.26"] and cli["filtered"] is False
    builds = cli["addons"]["coredns"]["builds"]
    assert builds["v1.9.3-eksbuild.7"]["k"] == ["1.26", "1.25"]
    assert builds["v1.9.3-eksbuild.7"]["default"] == ["1.26"]
    filtered = {
        "addons": [
            dict(answer("cli")["addons"][0], addonVersions=answer("cli")["addons"][0]["addonVersions"][1:])
        ]
    }
    assert rebuild.parse_addon_recording(json.dumps(filtered))["filtered"] is True


def test_bottlerocket_changelog_releases():
    rebuild = _load("rebuild_catalogues")
    text = "# v1.27.1 (2024-11-16)\n\n## OS Changes\n* x\n\n# v1.27.0 (2024-11-12)\n## Release Highlights\n"
    assert rebuild.parse_bottlerocket_changelog(text) == [("1.27.1", "2024-11-16"), ("1.27.0", "2024-11-12")]


def test_addon_pins_next_to_a_cluster_version():
    rebuild = _load("rebuild_catalogues")
    text = "\n".join(
        [
            "inputs = {",
            '  eks_cluster_version       = "1.34"',
            '  eks_addon_vpccni_version_override = "v1.21.1-eksbuild.7"',
            '  eks_addon_kubeproxy_version_override = "v1.34.6-eksbuild.5"',
            '  eks_addon_unknown_version_override = "v9.9.9-eksbuild.1"',
            "}",
        ]
    )
    assert rebuild.parse_addon_pins(text) == (
        "1.34",
        {"vpc-cni": "v1.21.1-eksbuild.7", "kube-proxy": "v1.34.6-eksbuild.5"},
    )


def test_upstream_release_tags_and_their_dates():
    rebuild = _load("rebuild_catalogues")
    refs = "\n".join(
        [
            "v1.43.0 2025-05-06",
            "helm-chart-aws-ebs-csi-driver-2.43.0 2025-05-07",
            "v1.44.0-rc1 2025-05-12",
            "1.44.0 2025-05-20",
            "v1.44.0 2025-05-21",
        ]
    )
    assert rebuild.parse_release_tags(refs) == {"1.43.0": "2025-05-06", "1.44.0": "2025-05-20"}


def test_a_build_is_dated_by_its_upstream_release_and_the_recordings_that_lack_it():
    facts = _load("addon_facts")
    records = [
        {"addonVersion": "v1.16.0-eksbuild.1", "clusterVersions": ["1.29"]},
        {"addonVersion": "v1.18.0-eksbuild.1", "clusterVersions": ["1.29"]},
        {"addonVersion": "v1.18.1-eksbuild.1", "clusterVersions": ["1.29"]},
        {"addonVersion": "v1.19.0-eksbuild.1", "clusterVersions": ["1.31"]},
    ]
    recording = {
        "_source": {"commitDate": "2024-04-01"},
        "scope": ["1.29"],
        "addons": {"vpc-cni": {"builds": {"v1.16.0-eksbuild.1": {}, "v1.18.0-eksbuild.1": {}}}},
    }
    upstream = {"1.16.0": "2023-12-22", "1.18.0": "2024-03-29", "1.18.1": "2024-03-25"}
    first_seen = {"v1.18.0-eksbuild.1": "2024-03-20"}  # shown before its upstream tag: the showing wins
    facts._date_builds("vpc-cni", records, [recording], upstream, first_seen)
    assert [r.get("released") for r in records] == ["2023-12-22", "2024-03-20", "2024-04-01", None]

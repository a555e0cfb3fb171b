"""Layer 2, the catalogues: Kubernetes versions, add-on builds and AMI releases, read from ``mock_eks/data``."""

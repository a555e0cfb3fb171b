"""Layer 4, identity: cluster certificate authorities, service account tokens and the OIDC issuer."""

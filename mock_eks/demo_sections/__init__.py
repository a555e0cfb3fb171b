"""Sections of `mock-eks demo`, one module per resource family; see mock_eks/demo.py for the contract."""

"""Pydantic records passed between stages, and the published message contract."""

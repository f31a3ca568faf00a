"""ospo-procure: lint tenders for vendor lock-in and assemble OSS-friendly tenders."""

__version__ = "0.1.0"

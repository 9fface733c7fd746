"""articleflow: S3 upload -> ingest -> normalize -> tag -> publish, on AWS Lambda."""

__version__ = "0.1.0"

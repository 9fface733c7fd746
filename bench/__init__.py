"""`make bench`: what every article costs, stage by stage, and how that compares with peers.

Run `python -m bench.run` (see bench/README.md). Nothing here is imported by the Lambda code.
"""

"""articleflow's development tooling, never deployed: the `articleflow` command, the pipeline on moto
(`local/`: `articleflow run` and `serve`) and the operations on a running pipeline (`ops/`).

It imports the Lambda layer (`articleflow`); the layer never imports it (`tests/unit/test_layers.py`).
"""

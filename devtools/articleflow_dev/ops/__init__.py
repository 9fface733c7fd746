"""Operations on a running pipeline (serve or a deployed stack): redrive, dlq, backfill, and where it is.

Reprocessing itself is in the layer (`articleflow.runtime.reprocess`): the deployed reprocess
function runs it too.
"""

"""Operations on a running pipeline (serve or a deployed stack): reprocess, redrive, backfill."""

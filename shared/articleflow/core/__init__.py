"""Pure logic: plain data in, plain data out. Nothing here imports boto3."""

"""More gazetteer files (same format as ../actors.yaml), read after it in name order."""

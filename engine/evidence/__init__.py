"""Evidence from chat exports: readers per format, the normalised message table, store, metrics."""

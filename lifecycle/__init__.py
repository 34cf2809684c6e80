"""lifecycle: the engine that runs social-work-station projects through their legal lifecycle."""

# The cyclic garbage collector's thresholds for a command (`cli.main`) and a verify worker
# (`lifecycle.audit.verify.fewer_collections`): a command makes its objects and frees them by
# reference counting, and the collector's passes over the young ones at the default threshold
# (700) were a seventh of a national first sweep's time and two fifths of reading a log.
GC_THRESHOLD = (100_000, 50, 100)

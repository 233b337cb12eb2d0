"""Word and Excel writers: pure functions from frozen snapshots to files. Import-light on purpose."""

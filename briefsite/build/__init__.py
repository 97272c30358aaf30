"""Build: the one builder that every command runs, its persistent cache, and the write.

The only step that knows about caches, files on disk it writes, and processes."""

"""The command line: parse arguments, run the builder, print what it found."""

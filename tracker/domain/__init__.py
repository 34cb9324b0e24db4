"""Pure logic: the ladder's rules, free-text times and plain values. No I/O, no clock."""

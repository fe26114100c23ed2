"""Who the citizens are: read citizen data, find segments, describe them in plain Swedish."""

// The Worker module. (placeholder until its first file lands)

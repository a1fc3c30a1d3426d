// The Models module. (placeholder until its first file lands)

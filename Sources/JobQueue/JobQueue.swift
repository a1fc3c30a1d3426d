// The JobQueue module. (placeholder until its first file lands)

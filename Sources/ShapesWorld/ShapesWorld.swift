// The ShapesWorld module. (placeholder until its first file lands)

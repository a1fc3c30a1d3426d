// The ImageCodec module. (placeholder until its first file lands)

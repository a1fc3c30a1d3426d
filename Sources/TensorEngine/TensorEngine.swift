// The TensorEngine module. (placeholder until its first file lands)

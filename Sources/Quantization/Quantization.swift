// The Quantization module; see DESIGN §2.

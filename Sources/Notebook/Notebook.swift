// The Notebook module; see DESIGN §2.

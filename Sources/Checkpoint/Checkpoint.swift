// The Checkpoint module; see DESIGN §2.

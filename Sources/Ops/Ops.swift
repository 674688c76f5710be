// The Ops module; see DESIGN §2.

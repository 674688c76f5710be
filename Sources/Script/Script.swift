// The Script module; see DESIGN §2.

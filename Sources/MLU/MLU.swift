// The MLU module; see DESIGN §2.

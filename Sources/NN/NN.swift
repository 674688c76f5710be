// The NN module; see DESIGN §2.

print("mlus")

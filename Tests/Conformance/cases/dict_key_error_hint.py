config = {"lr": 0.1, "epochs": 10}
print(config["lr"])
print(config["batch"])

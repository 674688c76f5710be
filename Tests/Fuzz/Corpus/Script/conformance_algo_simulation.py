class Account:
    interest = 0.02
    def __init__(self, owner, balance=0.0):
        self.owner = owner
        self.balance = balance
        self.history = []
    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))
    def withdraw(self, amount):
        if amount > self.balance:
            raise RuntimeError(f"insufficient funds: {self.balance:.2f} < {amount:.2f}")
        self.balance -= amount
        self.history.append(("withdraw", amount))
    def accrue(self):
        self.balance = round(self.balance * (1 + self.interest), 2)
    def __repr__(self):
        return f"Account({self.owner!r}, {self.balance:.2f})"
acct = Account("ann", 100)
acct.deposit(50)
try:
    acct.withdraw(500)
except RuntimeError as e:
    print("error:", e)
try:
    acct.deposit(-1)
except ValueError as e:
    print("error:", e)
acct.withdraw(30)
for _ in range(3):
    acct.accrue()
print(acct, acct.history)

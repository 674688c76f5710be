class Stack:
    def __init__(self):
        self._items = []
    def push(self, x):
        self._items.append(x)
    def pop(self):
        if not self._items:
            raise IndexError("pop from empty stack")
        return self._items.pop()
    def __len__(self):
        return len(self._items)
def balanced(s):
    pairs = {")": "(", "]": "[", "}": "{"}
    st = Stack()
    for c in s:
        if c in "([{":
            st.push(c)
        elif c in pairs:
            try:
                if st.pop() != pairs[c]:
                    return False
            except IndexError:
                return False
    return len(st) == 0
print([balanced(s) for s in ["()", "([]{})", "(]", "((", ")", ""]])
queue = []
for i in range(5):
    queue.append(i)
order = []
while queue:
    order.append(queue.pop(0))
print(order)
def rpn(expr):
    st = []
    for tok in expr.split():
        if tok in "+-*/":
            b, a = st.pop(), st.pop()
            st.append({"+": a + b, "-": a - b, "*": a * b, "/": a / b}[tok])
        else:
            st.append(float(tok))
    return st[0]
print(rpn("3 4 + 2 *"), rpn("5 1 2 + 4 * + 3 -"))

class Tree:
    def __init__(self, v):
        self.v, self.left, self.right = v, None, None
    def insert(self, v):
        if v < self.v:
            if self.left: self.left.insert(v)
            else: self.left = Tree(v)
        else:
            if self.right: self.right.insert(v)
            else: self.right = Tree(v)
    def inorder(self):
        return (self.left.inorder() if self.left else []) + [self.v] + (self.right.inorder() if self.right else [])
    def height(self):
        return 1 + max(self.left.height() if self.left else 0, self.right.height() if self.right else 0)
root = Tree(50)
for v in [30, 70, 20, 40, 60, 80, 35]:
    root.insert(v)
print(root.inorder(), root.height())
def paths(t, prefix=()):
    if t is None:
        return []
    p = prefix + (t.v,)
    if not t.left and not t.right:
        return [p]
    return paths(t.left, p) + paths(t.right, p)
for p in paths(root):
    print(p)

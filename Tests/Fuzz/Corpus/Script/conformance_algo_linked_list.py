class Node:
    def __init__(self, val, nxt=None):
        self.val = val
        self.next = nxt
class LinkedList:
    def __init__(self, items=()):
        self.head = None
        self.size = 0
        for x in reversed(list(items)):
            self.push(x)
    def push(self, v):
        self.head = Node(v, self.head)
        self.size += 1
    def __iter__(self):
        node = self.head
        out = []
        while node:
            out.append(node.val)
            node = node.next
        return iter(out)
    def __len__(self):
        return self.size
    def __repr__(self):
        return " -> ".join(str(v) for v in self) or "empty"
    def reverse(self):
        prev, node = None, self.head
        while node:
            node.next, prev, node = prev, node, node.next
        self.head = prev
ll = LinkedList([1, 2, 3])
ll.push(0)
print(ll, len(ll), list(ll), 2 in list(ll))
ll.reverse()
print(ll, LinkedList())

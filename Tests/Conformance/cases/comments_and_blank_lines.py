# leading comment

def f(xs):
    # comment at body level
    total = 0

    for x in xs:
        # comment inside loop
            # oddly indented comment
        if x > 1:

            # blank line and comment before the body
            total += x
        # dedented comment
    # comment before return
    return total
    # trailing comment
print(f([1, 2, 3]))  # end-of-line comment
x = [1,  # comment inside brackets
     2,
     # whole-line comment inside brackets
     3]
print(x)

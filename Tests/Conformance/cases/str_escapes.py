print("a\nb")
print("tab\tsep")
print("quote\"s", 'single\'s')
print("\x41\u0042\U00000043")
print("\101\60")
print(r"raw\n\t", R"raw2\d")
print("""triple
quoted "string" here""")
print('''single triple
with 'quotes' ''')
print("continued \
line")
print("adjacent" " strings" ' joined')
print(len("\n"), len(r"\n"))
s = """
indented
    text
"""
print(s)

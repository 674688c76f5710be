import os
print("os ok")
import no_such_module_xyz

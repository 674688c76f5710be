import _helper_mod
import _helper_mod as hm
from _helper_mod import double, Thing as T, VALUE
print(_helper_mod.VALUE, hm.double(4), double(5), T(3), VALUE, hm is _helper_mod)
print(_helper_mod.__name__)

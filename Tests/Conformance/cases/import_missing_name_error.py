from _helper_mod import double
print(double(1))
from _helper_mod import triple

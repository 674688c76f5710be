try:
    raise 'text'
except TypeError as e:
    print('TypeError', e)
raise 5
